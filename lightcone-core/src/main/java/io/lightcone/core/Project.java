package io.lightcone.core;

import io.lightcone.Explanation;
import io.lightcone.ImageBuild;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlanOptions;
import io.lightcone.PlannedTask;
import io.lightcone.Problem;
import io.lightcone.Results;
import io.lightcone.ResultsOptions;
import io.lightcone.StatusReport;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.Universes;
import io.lightcone.ValidationReport;
import io.lightcone.VerifyReport;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.Parallel;
import io.lightcone.core.internal.cache.CacheStore;
import io.lightcone.core.internal.container.ContainerRuntime;
import io.lightcone.core.internal.container.ContainerTasks;
import io.lightcone.core.internal.container.ImageBuilder;
import io.lightcone.core.internal.manifest.TrustedKeys;
import io.lightcone.core.internal.metric.Metrics;
import io.lightcone.core.internal.metric.ResultTable;
import io.lightcone.core.internal.plan.Planner;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.core.internal.plan.Targets;
import io.lightcone.core.internal.plan.UniverseSelection;
import io.lightcone.core.internal.project.LightconeConfig;
import io.lightcone.core.internal.project.LoadedProject;
import io.lightcone.core.internal.project.ProjectLoader;
import io.lightcone.core.internal.run.CoreRuntime;
import io.lightcone.core.internal.run.LocalTaskRunner;
import io.lightcone.core.internal.run.Publisher;
import io.lightcone.core.internal.sandbox.CodePaths;
import io.lightcone.core.internal.sandbox.Sandboxing;
import io.lightcone.core.internal.status.InputMemo;
import io.lightcone.core.internal.status.Integrity;
import io.lightcone.event.ExecutionListener;
import io.lightcone.model.Analysis;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import io.lightcone.spi.Cancellation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ASTRA project: {@code astra.yaml}, its {@code path:} sub-analyses and {@code
 * universes/*.yaml}, loaded and validated. The entry point of the library.
 *
 * <pre>{@code
 * Project project = Project.load(Path.of("samples/period-luminosity"));
 * project.universes().forEach(u -> System.out.println(u.id() + " " + u.choices()));
 * }</pre>
 */
public final class Project {
  private final ProjectState state;
  private final LoadedProject loaded;
  private final Environment environment;
  private final int threads;

  private Project(ProjectState state) {
    this.state = state;
    this.loaded = state.loaded();
    this.environment = state.context().environment();
    this.threads = state.context().threads();
  }

  /**
   * Loads and validates the project in {@code directory}.
   *
   * @throws io.lightcone.InvalidProjectException with every error found, when the project is
   *     invalid
   * @throws LightconeException of kind {@code ENVIRONMENT} when the directory cannot be read
   */
  public static Project load(Path directory) {
    // The command's context (environment, clock, threads, the one input memo) is made here, once.
    return new Project(
        ProjectState.load(Objects.requireNonNull(directory, "directory"), Environment.system()));
  }

  /**
   * Loads and validates the project in {@code directory} and returns every problem found, errors
   * and warnings; never throws for a problem in the project's files.
   *
   * @throws LightconeException of kind {@code ENVIRONMENT} when the directory cannot be read
   */
  public static ValidationReport validate(Path directory) {
    return ProjectLoader.load(Objects.requireNonNull(directory, "directory")).report();
  }

  /** The project directory, absolute and normalised. */
  public Path directory() {
    return loaded.directory();
  }

  /** The root analysis, with every sub-analysis (inline or {@code path:}) loaded into it. */
  public Analysis analysis() {
    return loaded.analysis();
  }

  /**
   * The universes of {@code universes/*.yaml}, in file name order, with defaults filled in; without
   * universe files, the one universe {@code default} (every decision at its default).
   */
  public List<ResolvedUniverse> universes() {
    return loaded.universes();
  }

  /**
   * Every universe the project knows: {@link #universes()}, then each enumerated universe ({@code
   * lc run --multiverse}) that has results on disk, in multiverse order. Each tells its {@link
   * ResolvedUniverse#origin() origin}, its {@link ResolvedUniverse#name() readable name} and its
   * choices. What {@code status}, {@code verify} and the exports cover by default.
   *
   * <pre>{@code
   * project.allUniverses().forEach(u -> System.out.println(u.id() + " " + u.origin() + " " + u.name()));
   * }</pre>
   */
  public List<ResolvedUniverse> allUniverses() {
    return UniverseSelection.known(state).universes();
  }

  /**
   * Every universe of the full multiverse: each valid combination of options, with its {@code mv-}
   * id, whether or not it has run.
   *
   * @throws LightconeException of kind USER_INPUT when there are more than a million combinations
   */
  public List<ResolvedUniverse> multiverse() {
    return state.multiverse();
  }

  /**
   * The {@code mv-...} result directories that no universe of the current multiverse has: their
   * decisions or options changed since they ran. {@link #allUniverses()} leaves them out.
   */
  public List<String> strayUniverseDirectories() {
    return UniverseSelection.known(state).stray();
  }

  /**
   * The universes {@code selectors} pick, each once; {@link #allUniverses()} when there is none. A
   * selector is an id ({@code baseline}, {@code mv-3f2a9c01de}), a readable name ({@code
   * theil_sen-v_band-uncorrected}) or choices ({@code fit_method=theil_sen,magnitude=v_band}, which
   * must match one universe; a sub-analysis's decision is {@code calibration.offset=none}). Looked
   * up among the known universes, then the whole multiverse.
   *
   * @throws LightconeException of kind USER_INPUT for a selector that matches no universe or
   *     several, or names an unknown decision or option
   */
  public List<ResolvedUniverse> universes(List<String> selectors) {
    return select(selectors, false);
  }

  /**
   * The universe {@code selector} picks (see {@link #universes(List)}).
   *
   * @throws LightconeException of kind {@code USER_INPUT} naming the known universes when there is
   *     no such universe
   */
  public ResolvedUniverse universe(String selector) {
    return select(List.of(Objects.requireNonNull(selector, "selector")), false).get(0);
  }

  /** Plans every task of every universe file. */
  public Plan plan() {
    return plan(PlanOptions.defaults());
  }

  /**
   * Plans the tasks {@code options} select: each says whether it will run and why.
   *
   * @throws LightconeException of kind USER_INPUT for an unknown universe or output
   */
  public Plan plan(PlanOptions options) {
    return plan(options, RunOptions.defaults());
  }

  /** Plans with options for how the tasks will run (strict inputs, keeping failed attempts). */
  public Plan plan(PlanOptions options, RunOptions run) {
    List<ResolvedUniverse> universes = planned(options);
    repairIfIdle(universes);
    LocalTaskRunner.Options runner = runnerOptions(run);
    // A signing key that cannot be used is one error now, not one per task later.
    io.lightcone.core.internal.manifest.SigningKey.configured(signing(run));
    InputMemo inputs = inputMemo();
    List<PlannedTask> tasks;
    try {
      tasks =
          Planner.plan(
              state,
              universes,
              options,
              threads,
              runner.cache(),
              runner::cacheable,
              run.strictInputs(),
              inputs);
    } finally {
      inputs.flush();
    }
    return new Plan(
        directory(),
        tasks,
        universes,
        new CoreRuntime(state, signing(run), runner, tasks),
        withSandboxNotice(containerWarnings(tasks, runner.containers()), runner.sandbox()));
  }

  /**
   * A task to run that declares a container, with no runtime to run it in: its recipe runs on this
   * host, outside the image, so its provenance will not match what the spec says.
   */
  private static List<String> containerWarnings(
      List<PlannedTask> tasks, ContainerTasks containers) {
    List<PlannedTask> declaring =
        tasks.stream()
            .filter(t -> t.action() != PlannedTask.Action.SKIP)
            .filter(t -> t.task().imageIdentity().isPresent())
            .toList();
    if (declaring.isEmpty()) {
      return List.of();
    }
    ContainerRuntime.Selection selection = containers.selection();
    if (selection.runtime().isPresent()) {
      return List.of();
    }
    java.util.Set<String> images = new java.util.TreeSet<>();
    declaring.forEach(t -> images.add(t.task().container().orElseThrow()));
    return List.of(
        declaring.size()
            + " task(s) declare a container ("
            + String.join(", ", images)
            + ") but there is no container runtime ("
            + selection.why()
            + "): their recipes will run on this host, outside the image, so their provenance will"
            + " not match the image; their manifests record container_runtime: none. "
            + (containers.requested().isPresent() || selection.why().startsWith("container.runtime")
                ? "Choose a runtime (--runtime auto) to run them in the image"
                : "Install podman (apt-get install podman runc) or set container.runtime in"
                    + " ~/.lightcone/config.yaml"));
  }

  private static List<String> withSandboxNotice(List<String> warnings, Sandboxing sandbox) {
    if (sandbox.notice().isEmpty()) {
      return warnings;
    }
    List<String> all = new java.util.ArrayList<>(warnings);
    all.add(sandbox.notice().get());
    return all;
  }

  /**
   * The one line to say when recipes would not run as {@code run} asks for (no {@code bwrap}, or
   * one that cannot make a sandbox here), for {@code lc status}; empty when they would.
   *
   * <pre>{@code project.sandboxWarning(RunOptions.defaults()).ifPresent(System.err::println);}
   * </pre>
   *
   * @throws LightconeException ENVIRONMENT when bwrap cannot make a sandbox and {@code run} allows
   *     no fallback
   */
  public Optional<String> sandboxWarning(RunOptions run) {
    return sandboxing(run).notice();
  }

  /** {@code status} of every universe file's outputs, from manifests only. */
  public StatusReport status() {
    return status(List.of());
  }

  /**
   * {@code status} of the outputs of {@code universes} (all universe files when empty).
   *
   * @throws LightconeException of kind USER_INPUT for an unknown universe
   */
  public StatusReport status(List<String> universes) {
    List<ResolvedUniverse> selected = select(universes, false);
    repairIfIdle(selected);
    return integrity().status(selected);
  }

  /** {@code verify} of every existing output of every universe file. */
  public VerifyReport verify() {
    return verify(List.of());
  }

  /**
   * Re-hashes every existing output of {@code universes} (all when empty) and checks the chain of
   * manifests.
   */
  public VerifyReport verify(List<String> universes) {
    List<ResolvedUniverse> selected = select(universes, false);
    repairIfIdle(selected);
    return integrity().verify(selected);
  }

  /**
   * Re-hashes every existing output of the universes {@code options} names (all when none) and
   * checks the chain of manifests; with {@link VerifyOptions#trustedKeys} also that every manifest
   * in each chain is signed by one of those keys.
   *
   * <pre>{@code project.verify(VerifyOptions.builder().trustedKeys(Path.of("team.keys")).build())}
   * </pre>
   *
   * @throws LightconeException of kind USER_INPUT for an unknown universe or a trusted-keys file
   *     that cannot be read or holds a line that is not a key
   */
  public VerifyReport verify(VerifyOptions options) {
    Optional<TrustedKeys> trusted = options.trustedKeys().map(TrustedKeys::read);
    List<ResolvedUniverse> selected = select(options.universes(), false);
    repairIfIdle(selected);
    return integrity().verify(selected, trusted);
  }

  /** The environment task runners sign manifests in: {@code run}'s key, else the configured one. */
  private Environment signing(RunOptions run) {
    return run.signingKey()
        .map(k -> environment.with("LIGHTCONE_SIGNING_KEY", k.toAbsolutePath().toString()))
        .orElse(environment);
  }

  /** See {@code Publisher.repairIfIdle}: readers never see a killed run's half-swap. */
  private void repairIfIdle(List<ResolvedUniverse> universes) {
    if (!java.nio.file.Files.isDirectory(directory().resolve(".lightcone"))) {
      return; // nothing ever ran here
    }
    // Derived on all threads here; planning and status reuse the tasks.
    List<Path> outputs = new java.util.ArrayList<>();
    for (List<Task> tasks : Parallel.map(universes, threads, state::tasks)) {
      tasks.forEach(t -> outputs.add(directory().resolve(t.outputDir())));
    }
    Publisher.repairIfIdle(directory(), outputs, environment.host());
  }

  /**
   * Why {@code output} (an id or qualified id) of {@code universe} is or is not fresh.
   *
   * @throws LightconeException of kind USER_INPUT for an unknown output or universe
   */
  public Explanation explain(String output, String universe) {
    ResolvedUniverse u =
        state.universe(universe).orElseGet(() -> select(List.of(universe), false).get(0));
    return integrity().explain(u, Targets.resolve(state.tree(), output));
  }

  /**
   * Runs one task in this process, as {@code lc task run} does for out-of-process substrates: the
   * task is derived again and must still have {@code expectedCodeVersion}.
   */
  public TaskResult runTask(String taskId, String expectedCodeVersion, RunOptions run) {
    return runTask(taskId, expectedCodeVersion, run, NOT_CANCELLED);
  }

  /**
   * {@link #runTask(String, String, RunOptions)} that {@code cancellation} can stop: the recipe's
   * process tree is killed and nothing is published (the plumbing command's answer to SIGTERM, as
   * when a batch system cancels the job).
   */
  public TaskResult runTask(
      String taskId,
      String expectedCodeVersion,
      RunOptions run,
      io.lightcone.spi.Cancellation cancellation) {
    TaskId id;
    try {
      id = TaskId.parse(taskId);
    } catch (IllegalArgumentException e) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, e.getMessage());
    }
    Task task = state.task(id);
    Task expected = Task.builder().from(task).codeVersion(expectedCodeVersion).build();
    LocalTaskRunner runner = new LocalTaskRunner(state, signing(run), runnerOptions(run));
    try {
      return runner.run(expected, 1, cancellation, ExecutionListener.NONE);
    } finally {
      runner.close();
    }
  }

  /**
   * A task runner that lives for many tasks, as {@code lc task serve} keeps one: each {@link
   * TaskServer#run} does what {@link #runTask} does, without loading the project again unless a
   * file that defines the task changed. Close it when done.
   */
  public TaskServer taskServer(RunOptions run) {
    return new TaskServer(state, new LocalTaskRunner(state, signing(run), runnerOptions(run)));
  }

  private static final Cancellation NOT_CANCELLED =
      new Cancellation() {
        @Override
        public boolean isCancelled() {
          return false;
        }

        @Override
        public Runnable onCancel(Runnable action) {
          return () -> {};
        }
      };

  /** The content-addressed cache this project uses ({@code LIGHTCONE_CACHE} or its own). */
  public ContentCache cache() {
    return cache(RunOptions.defaults());
  }

  /** The cache that {@code run}'s options select. */
  public ContentCache cache(RunOptions run) {
    java.util.Set<String> referenced = new java.util.HashSet<>();
    for (ResolvedUniverse u : allUniverses()) {
      for (Task t : state.tasks(u)) {
        if (io.lightcone.core.internal.manifest.ManifestStore.read(
                directory().resolve(t.outputDir()))
            instanceof io.lightcone.core.internal.manifest.ManifestStore.Present p) {
          referenced.add(p.manifest().dataVersion());
        }
      }
    }
    return new ContentCache(cacheDirectory(run), referenced);
  }

  /**
   * Writes {@code astra.yaml}, every {@code path:} sub-analysis's {@code astra.yaml}, the files of
   * {@code universes} (all universe files when empty), the input files inside the project and the
   * universes' results with their manifests to {@code file}, a zstd-compressed tar ({@code
   * .tar.zst}) that {@link #verify()} accepts after unpacking elsewhere. Two exports of the same
   * state are byte-identical.
   *
   * @return the archived paths, relative to the project, sorted
   * @throws LightconeException of kind USER_INPUT for an unknown universe, ENVIRONMENT when a file
   *     cannot be read or written
   */
  public List<String> exportArchive(Path file, List<String> universes) {
    try {
      return io.lightcone.core.internal.export.ArchiveExport.write(
          state, select(universes, false), file);
    } catch (java.io.IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write the archive " + file + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Writes a Workflow Run RO-Crate (RO-Crate 1.1; Process, Workflow and Provenance Run Crate 0.5)
   * of the selected universes to {@code target}: {@code ro-crate-metadata.json} beside the spec,
   * the universe files, the input files inside the project and every output with its manifest.
   * {@code astra.yaml} is the main workflow; each universe is one run of it and each task one
   * {@code CreateAction} with its decisions as parameter values, its inputs as {@code object}, its
   * output (with its {@code data_version}) as {@code result} and its recipe as {@code instrument}.
   *
   * <p>Only up-to-date outputs are exported, each re-hashed as it is copied: when an output is
   * stale, missing or failed the export is refused with the list, unless {@link
   * CrateOptions#partial()} leaves them (and what was made from them) out. A directory target must
   * be new or empty; a zip target is replaced. The crate appears whole or not at all.
   *
   * <pre>{@code
   * project.exportCrate(Path.of("crate"), CrateOptions.defaults());
   * }</pre>
   *
   * @throws LightconeException of kind USER_INPUT for an unknown universe or a non-empty target
   *     directory, INTEGRITY when outputs are not up to date or do not match their manifests,
   *     ENVIRONMENT when a file cannot be read or written
   */
  public CrateExport exportCrate(Path target, CrateOptions options) {
    Objects.requireNonNull(target, "target");
    List<ResolvedUniverse> selected = select(options.universes(), false);
    repairIfIdle(selected);
    StatusReport status = integrity().status(selected);
    try {
      io.lightcone.core.internal.export.WrrocExport.Result r =
          io.lightcone.core.internal.export.WrrocExport.write(
              state, selected, status, target, options.zip(), options.partial());
      return new CrateExport(target, r.actions(), r.files(), r.bytes(), r.leftOut());
    } catch (java.io.IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write the crate " + target + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Makes every image the recipes declare present in the container runtime's store: a Containerfile
   * is built under its content tag (DESIGN §3) from a build context staged with exactly the files
   * the tag hashes; an image name is pulled. Images already present are left alone unless {@code
   * force} (which also builds without the layer cache).
   *
   * <pre>{@code project.buildImages(Optional.empty(), false, System.out::println)}</pre>
   *
   * @param runtime as {@link RunOptions#containerRuntime()}: empty for the configured one, else
   *     auto
   * @param output each line the runtime prints while building or pulling
   * @return one result per image, in declaration order (none when no recipe declares a container);
   *     a failed build is a result, not thrown
   * @throws LightconeException ENVIRONMENT when images are declared but there is no container
   *     runtime
   */
  public List<ImageBuild> buildImages(
      Optional<String> runtime, boolean force, java.util.function.Consumer<String> output) {
    if (ImageBuilder.images(state.tree(), state.deriver()::image).isEmpty()) {
      return List.of();
    }
    ContainerRuntime.Selection s = ContainerRuntime.select(runtime, environment);
    if (s.runtime().isEmpty()) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "building images needs a container runtime, and there is none ("
              + s.why()
              + "); install podman (Debian: apt-get install podman runc), or name one with"
              + " --runtime or container.runtime in ~/.lightcone/config.yaml");
    }
    return new ImageBuilder(directory(), state.tree(), state.deriver()::image, s.runtime().get())
        .build(force, output);
  }

  private Path cacheDirectory(RunOptions run) {
    return run.cacheDirectory()
        .or(() -> environment.variable("LIGHTCONE_CACHE").map(Path::of))
        .orElse(directory().resolve(".lightcone/cache"));
  }

  private CacheStore.Link cacheLink(RunOptions run) {
    String id =
        run.cacheLink()
            .or(() -> environment.variable("LIGHTCONE_CACHE_LINK").filter(v -> !v.isBlank()))
            .orElse("auto");
    return CacheStore.Link.parse(id)
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.USER_INPUT,
                    "cache link type '"
                        + id
                        + "' is unknown (from --link or LIGHTCONE_CACHE_LINK); use auto, copy or"
                        + " hardlink"));
  }

  private LocalTaskRunner.Options runnerOptions(RunOptions run) {
    Optional<CacheStore> cache =
        run.cache()
            ? Optional.of(new CacheStore(cacheDirectory(run), cacheLink(run)))
            : Optional.empty();
    return new LocalTaskRunner.Options(
        run.strictInputs(),
        run.keepFailed(),
        2,
        run.substrate(),
        cache,
        java.util.Set.of(),
        ContainerTasks.of(run.containerRuntime(), environment),
        sandboxing(run));
  }

  /**
   * The sandbox as {@code run} asks, else as the project's {@code lightcone.yaml} says, else on; a
   * strict sandbox shows each task's code files as the manifest records them.
   */
  private Sandboxing sandboxing(RunOptions run) {
    LightconeConfig config = loaded.config();
    return Sandboxing.resolve(
        run.sandbox().or(config::sandbox).orElse(SandboxMode.ON),
        run.network().orElse(config.network()),
        run.sandboxFallback().orElse(config.sandboxFallback()),
        CodePaths.RECORDED,
        environment);
  }

  /**
   * The universes a plan covers: the selected ones, else the universe files (or the default one),
   * else with {@code multiverse} all of it or its {@code sample}.
   */
  private List<ResolvedUniverse> planned(PlanOptions options) {
    if (options.sample().isEmpty()) {
      return options.universes().isEmpty() && !options.multiverse()
          ? loaded.universes()
          : select(options.universes(), options.multiverse());
    }
    if (!options.multiverse() || !options.universes().isEmpty()) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "a sample is drawn from the whole multiverse: use --sample with --multiverse and"
              + " without -u");
    }
    return io.lightcone.core.internal.plan.Multiverse.sample(
        state.multiverse(), options.sample().getAsInt(), options.seed());
  }

  /** Every known universe when {@code selectors} is empty (else the multiverse), or those named. */
  private List<ResolvedUniverse> select(List<String> selectors, boolean multiverse) {
    List<ResolvedUniverse> known = multiverse && selectors.isEmpty() ? List.of() : allUniverses();
    return UniverseSelection.select(state, known, selectors, multiverse);
  }

  private Integrity integrity() {
    return new Integrity(
        directory(), state.tree(), state.deriver()::active, state::tasks, threads, this::inputMemo);
  }

  /** Versions of external inputs remembered by stat from earlier commands (never for verify). */
  private InputMemo inputMemo() {
    return state.context().memo();
  }

  /**
   * The manifest published beside the output of {@code task} ({@code universe/output}); empty when
   * the output has not been made.
   *
   * <pre>{@code System.out.println(project.manifest("baseline/distance").orElseThrow());}</pre>
   *
   * @throws LightconeException of kind USER_INPUT for an unknown task, INTEGRITY for a manifest
   *     that cannot be read
   */
  public Optional<io.lightcone.Manifest> manifest(String task) {
    TaskId id;
    try {
      id = TaskId.parse(task);
    } catch (IllegalArgumentException e) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, e.getMessage());
    }
    Task t = state.task(id);
    io.lightcone.core.internal.manifest.ManifestStore.Read read =
        io.lightcone.core.internal.manifest.ManifestStore.read(directory().resolve(t.outputDir()));
    if (read instanceof io.lightcone.core.internal.manifest.ManifestStore.Invalid i) {
      throw new LightconeException(
          LightconeException.Kind.INTEGRITY,
          t.outputDir() + ": unreadable manifest: " + i.reason());
    }
    return read instanceof io.lightcone.core.internal.manifest.ManifestStore.Present p
        ? Optional.of(p.manifest())
        : Optional.empty();
  }

  /**
   * The universe files as a table, one column per decision, to join results onto.
   *
   * <pre>{@code project.universeTable().with("mu", project.metric("distance", "distance_modulus"))}
   * </pre>
   */
  public Universes universeTable() {
    return Universes.of(universes());
  }

  /**
   * Each universe's value of the metric output {@code output} (an id or qualified id): the one
   * {@code .json} file of its directory, parsed into plain maps, lists, strings, numbers and
   * booleans. Universes where the output is not active are left out.
   *
   * <pre>{@code project.metric("distance").get(UniverseId.of("baseline")).get("distance_modulus")}
   * </pre>
   *
   * @throws LightconeException of kind USER_INPUT for an unknown output, one not made yet in some
   *     universe, or a directory without exactly one JSON object file
   */
  public Map<UniverseId, Map<String, Object>> metric(String output) {
    return new Metrics(directory(), state)
        .read(Targets.resolve(state.tree(), output), loaded.universes());
  }

  /**
   * The number at {@code field} ({@code a.b} goes into nested objects) of {@link #metric(String)},
   * per universe.
   *
   * <pre>{@code Map<UniverseId, Double> mu = project.metric("distance", "distance_modulus");}</pre>
   *
   * @throws LightconeException of kind USER_INPUT as {@link #metric(String)}, and when a universe's
   *     value has no such field or it is not a number
   */
  public Map<UniverseId, Double> metric(String output, String field) {
    return new Metrics(directory(), state)
        .number(Targets.resolve(state.tree(), output), field, loaded.universes());
  }

  /**
   * The number at {@code field} of metric output {@code output} in every universe, with each
   * universe's choices, as a table; see {@link #results(ResultsOptions)}.
   *
   * <pre>{@code System.out.println(project.results("distance", "distance_modulus"));}</pre>
   */
  public Results results(String output, String field) {
    return results(ResultsOptions.builder().addFields(output + "." + field).build());
  }

  /**
   * {@code fields} ({@code output.path}, e.g. {@code distance.distance_modulus}) across every
   * universe; see {@link #results(ResultsOptions)}.
   */
  public Results results(List<String> fields) {
    return results(ResultsOptions.builder().addAllFields(fields).build());
  }

  /**
   * Metric values across universes: one row per universe with its choices and the numbers at the
   * requested fields, read only from outputs that are fresh and whose bytes match their manifests
   * (the {@code verify} check on just those outputs). Stale, missing, failed and tampered ones are
   * rows with their state and reasons and no values, unless {@link ResultsOptions#includeStale()}.
   *
   * <pre>{@code
   * Results r = project.results(ResultsOptions.builder().addFields("pl_fit.slope").build());
   * r.summary("pl_fit.slope").ifPresent(s -> System.out.println(s.median()));
   * }</pre>
   *
   * @throws LightconeException of kind USER_INPUT for an unknown universe or output, an output that
   *     is not a metric, or a field that no output read holds as a number
   */
  public Results results(ResultsOptions options) {
    List<ResolvedUniverse> selected = select(options.universes(), false);
    repairIfIdle(selected);
    return new ResultTable(state, integrity(), threads).read(selected, options);
  }

  /**
   * Writes one self-contained HTML page about the project to {@code file}: its decisions, the
   * universes × decisions table, every output's status, verification and provenance, a timeline of
   * the last run, a specification curve per numeric field of each metric output, the figures and
   * the log tail of each failed task. It opens offline: styles, charts and images are inline.
   *
   * <pre>{@code project.report(Path.of("report.html"));}</pre>
   *
   * @throws LightconeException of kind ENVIRONMENT when the file cannot be written
   */
  public void report(Path file) {
    new io.lightcone.core.internal.report.ProjectReport(
            directory(), analysis(), allUniverses(), status(), verify(), state::task)
        .write(Objects.requireNonNull(file, "file"));
  }

  /** Warnings found while loading; they do not make the project invalid. */
  public List<Problem> warnings() {
    return loaded.report().warnings();
  }

  @Override
  public String toString() {
    Analysis a = analysis();
    return "Project "
        + a.id()
        + a.name().map(n -> " (" + n + ")").orElse("")
        + " at "
        + directory()
        + ": "
        + a.outputs().size()
        + " outputs, "
        + a.decisions().size()
        + " decisions, "
        + a.analyses().size()
        + " sub-analyses, "
        + universes().size()
        + " universes";
  }
}
