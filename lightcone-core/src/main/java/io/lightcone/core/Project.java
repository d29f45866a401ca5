package io.lightcone.core;

import io.lightcone.Explanation;
import io.lightcone.ImageBuild;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlanOptions;
import io.lightcone.PlannedTask;
import io.lightcone.Problem;
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
import io.lightcone.core.internal.plan.Planner;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.core.internal.plan.Targets;
import io.lightcone.core.internal.plan.UniverseSelection;
import io.lightcone.core.internal.project.LoadedProject;
import io.lightcone.core.internal.project.ProjectLoader;
import io.lightcone.core.internal.run.CoreRuntime;
import io.lightcone.core.internal.run.LocalTaskRunner;
import io.lightcone.core.internal.run.Publisher;
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
  private final int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

  private Project(ProjectState state, Environment environment) {
    this.state = state;
    this.loaded = state.loaded();
    this.environment = environment;
  }

  /**
   * Loads and validates the project in {@code directory}.
   *
   * @throws InvalidProjectException with every error found, when the project is invalid
   * @throws LightconeException of kind {@code ENVIRONMENT} when the directory cannot be read
   */
  public static Project load(Path directory) {
    return new Project(
        ProjectState.load(Objects.requireNonNull(directory, "directory")), Environment.system());
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

  /** The universes of {@code universes/*.yaml}, in file name order, with defaults filled in. */
  public List<ResolvedUniverse> universes() {
    return loaded.universes();
  }

  /**
   * The universe with id {@code id}.
   *
   * @throws LightconeException of kind {@code USER_INPUT} naming the known universes when there is
   *     no such universe
   */
  public ResolvedUniverse universe(String id) {
    return loaded.universes().stream()
        .filter(u -> u.id().value().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.USER_INPUT,
                    "no universe '"
                        + id
                        + "' in "
                        + directory().resolve("universes")
                        + " (universes: "
                        + String.join(
                            ", ",
                            loaded.universes().stream()
                                .map(ResolvedUniverse::id)
                                .map(UniverseId::value)
                                .toList())
                        + ")"));
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
    List<ResolvedUniverse> universes = select(options.universes(), options.multiverse());
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
        containerWarnings(tasks, runner.containers()));
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
    Publisher.repairIfIdle(directory(), outputs);
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
      return runner.run(expected, 1, NOT_CANCELLED, ExecutionListener.NONE);
    } finally {
      runner.close();
    }
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
    for (ResolvedUniverse u : loaded.universes()) {
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
    if (ImageBuilder.images(state.tree(), state.deriver()).isEmpty()) {
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
    return new ImageBuilder(directory(), state.tree(), state.deriver(), s.runtime().get())
        .build(force, output);
  }

  private Path cacheDirectory(RunOptions run) {
    return run.cacheDirectory()
        .or(() -> environment.variable("LIGHTCONE_CACHE").map(Path::of))
        .orElse(directory().resolve(".lightcone/cache"));
  }

  private LocalTaskRunner.Options runnerOptions(RunOptions run) {
    Optional<CacheStore> cache =
        run.cache() ? Optional.of(new CacheStore(cacheDirectory(run))) : Optional.empty();
    return new LocalTaskRunner.Options(
        run.strictInputs(),
        run.keepFailed(),
        2,
        run.substrate(),
        cache,
        java.util.Set.of(),
        ContainerTasks.of(run.containerRuntime(), environment));
  }

  private List<ResolvedUniverse> select(List<String> ids, boolean multiverse) {
    return UniverseSelection.select(loaded.universes(), ids, multiverse, state.tree());
  }

  private Integrity integrity() {
    return new Integrity(
        directory(), state.tree(), state.deriver(), state::tasks, threads, this::inputMemo);
  }

  /** Versions of external inputs remembered by stat from earlier commands (never for verify). */
  private InputMemo inputMemo() {
    return InputMemo.open(directory(), environment.clock());
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
