package io.lightcone.core.internal.run;

import io.lightcone.Lightcone;
import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.IoMessages;
import io.lightcone.core.internal.cache.CacheStore;
import io.lightcone.core.internal.container.ContainerTasks;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.hash.InputVersion;
import io.lightcone.core.internal.manifest.FailureLog;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.core.internal.manifest.SigningKey;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.core.internal.plan.Renderer;
import io.lightcone.core.internal.sandbox.Sandboxing;
import io.lightcone.core.internal.status.CodeFileMemo;
import io.lightcone.core.internal.status.ExternalVersions;
import io.lightcone.core.internal.status.InputMemo;
import io.lightcone.event.ExecutionListener;
import io.lightcone.spi.Cancellation;
import io.lightcone.spi.ProcessGroups;
import io.lightcone.spi.TaskRunner;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The task lifecycle of DESIGN §2, the same for every substrate: re-derive the task and check its
 * {@code code_version}; check that every upstream output has a manifest and collect input versions;
 * run the rendered recipe with {@code /bin/sh -c} in the project root, in its own process group,
 * writing into a staging directory, its output logged and streamed; on failure, leave the previous
 * output untouched; on success, check, hash, write the manifest into the staging directory and
 * publish atomically.
 */
public final class LocalTaskRunner implements TaskRunner {
  private static final long KILL_GRACE_MILLIS = 2_000;

  private final AtomicReference<ProjectState> state;
  private final Environment environment;
  private final Options options;
  private final ScheduledExecutorService timers;
  private final Orphans orphans;
  private volatile GitInfo git;
  // Read once per runner, shared by its tasks: a plumbing JVM reads it for its one task.
  private final InputMemo inputs;
  // The code files its tasks name, hashed again only when their stat stamp changes.
  private final CodeFileMemo codeFiles = CodeFileMemo.of(java.time.Clock.systemUTC());
  // Every manifest this runner writes, by a recipe or a restore, is signed with it (or none).
  private final Optional<SigningKey> signingKey;
  // Two tasks of one run with the same action (universes that agree on everything an output
  // depends on) run the recipe once: the second waits for the first, then restores.
  private final java.util.concurrent.ConcurrentHashMap<
          String, java.util.concurrent.CompletableFuture<Void>>
      inFlight = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * How tasks run.
   *
   * @param strictInputs hash external input files by content instead of mtime and size
   * @param keepFailed keep a failed attempt's staging directory under {@code .lightcone/failed/}
   * @param hashThreads threads that read ahead while hashing an output
   * @param substrate recorded in the manifest's additive {@code substrate} field
   * @param cache the content-addressed store to restore from and save to, when it is on
   * @param forced tasks the user forced: they never restore from the cache (their output is still
   *     stored)
   * @param containers runs recipes that declare a container inside their image
   * @param sandbox how recipes are confined (bubblewrap, the container's mounts, or not at all)
   */
  public record Options(
      boolean strictInputs,
      boolean keepFailed,
      int hashThreads,
      String substrate,
      Optional<CacheStore> cache,
      Set<TaskId> forced,
      ContainerTasks containers,
      Sandboxing sandbox) {
    public Options {
      forced = Set.copyOf(forced);
    }

    /** Unsandboxed. */
    Options(
        boolean strictInputs,
        boolean keepFailed,
        int hashThreads,
        String substrate,
        Optional<CacheStore> cache,
        Set<TaskId> forced,
        ContainerTasks containers) {
      this(
          strictInputs,
          keepFailed,
          hashThreads,
          substrate,
          cache,
          forced,
          containers,
          Sandboxing.off());
    }

    /** Without a container runtime: every recipe runs on the host. */
    Options(
        boolean strictInputs,
        boolean keepFailed,
        int hashThreads,
        String substrate,
        Optional<CacheStore> cache,
        Set<TaskId> forced) {
      this(strictInputs, keepFailed, hashThreads, substrate, cache, forced, ContainerTasks.none());
    }

    static Options defaults() {
      return new Options(false, false, 2, "local", Optional.empty(), Set.of());
    }

    /**
     * Whether {@code task} may be restored from and stored in the cache: not when it declares a
     * container but runs on the host (no runtime), since the cache is keyed by what the spec says
     * and the host may not have what the image has. The planner asks the same, so that {@code lc
     * plan} never promises a restore that {@code lc run} would not make.
     */
    public boolean cacheable(Task task) {
      return cache.isPresent()
          && !(task.imageIdentity().isPresent() && containers.selection().runtime().isEmpty());
    }

    /** These options, with {@code forced} tasks running their recipe whatever the cache holds. */
    Options forcing(Set<TaskId> forced) {
      return new Options(
          strictInputs, keepFailed, hashThreads, substrate, cache, forced, containers, sandbox);
    }
  }

  /** Where a task's log is written, project-relative. */
  public static String logPath(TaskId id) {
    return ".lightcone/logs/" + id.universe() + "/" + id.output() + ".log";
  }

  public LocalTaskRunner(ProjectState state, Environment environment, Options options) {
    this.state = new AtomicReference<>(state);
    this.environment = environment;
    this.options = options;
    this.orphans = new Orphans(state.directory());
    this.inputs = state.context().memo(); // the command's one memo
    this.signingKey = SigningKey.configured(environment);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lightcone-time-limits");
              t.setDaemon(true);
              return t;
            });
  }

  private Path project() {
    return state.get().directory();
  }

  @Override
  public TaskResult run(
      Task planned, int attempt, Cancellation cancellation, ExecutionListener listener) {
    return run(
        planned,
        attempt,
        cancellation,
        listener,
        () -> listener.resourcesReleased(planned.id(), attempt));
  }

  /**
   * As {@link #run(Task, int, Cancellation, ExecutionListener)}, and calls {@code recipeSucceeded}
   * on this thread as soon as the recipe's process has exited with 0 (never after a failure, a
   * time-out or a cancellation, nor when no recipe runs). The local substrate frees the task's cpus
   * and slot then, so the next recipe starts while this thread still hashes, writes the manifest
   * and publishes; the task's result, which dependants wait for, still comes only once its manifest
   * is durable and published.
   */
  TaskResult run(
      Task planned,
      int attempt,
      Cancellation cancellation,
      ExecutionListener listener,
      Runnable recipeSucceeded) {
    Instant start = Instant.now();
    double startedAt = environment.now();
    TaskId id = planned.id();
    listener.taskStarted(id, attempt);
    TaskResult result;
    try {
      result = attempt(planned, attempt, cancellation, listener, start, startedAt, recipeSucceeded);
    } catch (LightconeException e) {
      result = failed(id, OptionalInt.empty(), e.getMessage(), Optional.empty(), start, attempt);
    } catch (IOException | RuntimeException e) {
      result =
          failed(
              id,
              OptionalInt.empty(),
              e instanceof AfterRecipe
                  ? e.getMessage()
                  : "could not run the task: " + IoMessages.plain(e),
              Optional.empty(),
              start,
              attempt);
    }
    if (result.outcome() == Outcome.FAILED) {
      try {
        FailureLog.record(
            project(), id, result.detail(), result.exitCode(), result.log(), environment.now());
      } catch (IOException e) {
        // The failure is in the report either way; status just cannot tell it later.
      }
    }
    listener.taskFinished(result);
    return result;
  }

  private TaskResult attempt(
      Task planned,
      int attempt,
      Cancellation cancellation,
      ExecutionListener listener,
      Instant start,
      double startedAt,
      Runnable recipeSucceeded)
      throws IOException {
    TaskId id = planned.id();
    // 1. The spec may have been edited since planning: the task must still be the same.
    ProjectState current = state.updateAndGet(s -> s.current(id.universe().value()));
    Task task = current.task(id);
    if (!task.codeVersion().equals(planned.codeVersion())) {
      return failed(
          id,
          OptionalInt.empty(),
          "the spec changed since the plan was made: code_version was "
              + planned.codeVersion()
              + ", is now "
              + task.codeVersion()
              + "; plan and run again",
          Optional.empty(),
          start,
          attempt);
    }
    // 2. Every upstream output must be complete; record what the recipe reads.
    Map<String, String> inputVersions = new LinkedHashMap<>();
    ExternalVersions external =
        new ExternalVersions(project(), options.hashThreads(), inputs, codeFiles);
    for (TaskInput input : task.inputs()) {
      if (input.isOutput()) {
        ManifestStore.Read r = ManifestStore.read(project().resolve(input.path()));
        if (!(r instanceof ManifestStore.Present p)) {
          return failed(
              id,
              OptionalInt.empty(),
              "input '"
                  + input.id()
                  + "' has no complete manifest at "
                  + input.path()
                  + (input.upstream().isPresent()
                      ? "; run " + input.upstream().get() + " first"
                      : "; no recipe makes it, so put it there with a manifest"),
              Optional.empty(),
              start,
              attempt);
        }
        inputVersions.put(input.id(), p.manifest().dataVersion());
      } else {
        inputVersions.put(input.id(), external.version(input.path(), options.strictInputs()));
      }
    }
    // The code it runs, hashed now: the manifest and the cache key vouch for this code.
    Map<String, String> codeFiles = external.code(task.codeFiles());
    for (Map.Entry<String, String> f : codeFiles.entrySet()) {
      if (f.getValue().equals(InputVersion.MISSING)) {
        return failed(
            id,
            OptionalInt.empty(),
            "code file "
                + f.getKey()
                + " is gone since the plan was made; restore it, or plan and run again",
            Optional.empty(),
            start,
            attempt);
      }
    }
    if (cancellation.isCancelled()) {
      return cancelled(id, start, attempt);
    }
    // Leftovers of a killed run were repaired when the run took the project's lock.
    Path output = project().resolve(task.outputDir());
    String key =
        CacheStore.key(id.output().toString(), task.codeVersion(), codeFiles, inputVersions);
    Attempt recipe =
        () ->
            runRecipe(
                task,
                key,
                inputVersions,
                codeFiles,
                output,
                cancellation,
                listener,
                start,
                startedAt,
                attempt,
                recipeSucceeded);
    if (!options.cacheable(task)) {
      return recipe.run();
    }
    java.util.concurrent.CompletableFuture<Void> mine =
        new java.util.concurrent.CompletableFuture<>();
    while (true) {
      java.util.concurrent.CompletableFuture<Void> other = inFlight.putIfAbsent(key, mine);
      if (other == null) {
        break;
      }
      Runnable stopWaiting = cancellation.onCancel(() -> other.complete(null));
      try {
        other.join();
      } finally {
        stopWaiting.run();
      }
      if (cancellation.isCancelled()) {
        return cancelled(id, start, attempt);
      }
    }
    try {
      Optional<TaskResult> restored =
          options.forced().contains(id)
              ? Optional.empty()
              : restore(
                  task, key, inputVersions, codeFiles, output, listener, start, startedAt, attempt);
      if (restored.isPresent()) {
        return restored.get();
      }
      return recipe.run();
    } finally {
      inFlight.remove(key, mine);
      mine.complete(null);
    }
  }

  private TaskResult runRecipe(
      Task task,
      String key,
      Map<String, String> inputVersions,
      Map<String, String> codeFiles,
      Path output,
      Cancellation cancellation,
      ExecutionListener listener,
      Instant start,
      double startedAt,
      int attempt,
      Runnable recipeSucceeded)
      throws IOException {
    TaskId id = task.id();
    // 3. Run the recipe into a staging directory beside the output.
    Path staging = Publisher.stage(output, environment.host());
    String log = logPath(id);
    Path logFile = project().resolve(log);
    Files.createDirectories(logFile.getParent());
    String stagingRel = project().relativize(staging).toString().replace(File.separatorChar, '/');
    String command = Renderer.render(task.template(), stagingRel, task.inputs(), task.decisions());
    Run run;
    ContainerTasks.Launch launch;
    Sandboxing.Prepared sandbox = options.sandbox().prepare(task, command, project(), staging);
    var before = sandbox.beforeRecipe(Set.of(staging, output));
    try {
      launch =
          options
              .containers()
              .launch(
                  task,
                  command,
                  project(),
                  CoreRuntime.runningDir(project()),
                  sandbox.containerMounts());
      List<String> argv =
          launch.container().isPresent()
              ? ProcessTree.command(launch.command())
              : ProcessGroups.command(sandbox.hostCommand(launch.command()));
      try {
        run = execute(task, argv, launch, logFile, cancellation, listener);
      } finally {
        launch.container().ifPresent(ContainerTasks.Running::close);
      }
    } catch (IOException | RuntimeException e) {
      Publisher.deleteTree(staging);
      throw e;
    }
    Manifest.Sandbox confined =
        launch.container().isPresent()
            ? sandbox.inContainer(launch.runtime().orElse("podman"))
            : sandbox.onHost();
    Optional<String> wroteOutside =
        run.cancelled || !confined.tool().equals("none")
            ? Optional.empty()
            : sandbox.writesOutside(before, Set.of(staging, output));
    wroteOutside.ifPresent(w -> listener.taskWarning(id, w));
    // 4. Failure, time-out or cancellation: the previous output stays exactly as it was.
    if (run.cancelled || run.timedOut || run.exitCode != 0) {
      keepOrDelete(staging, id);
      if (run.cancelled) {
        return cancelled(id, start, attempt);
      }
      String why =
          run.timedOut
              ? "time limit "
                  + task.resources().flatMap(r -> r.timeLimit()).orElse("")
                  + " exceeded"
              : "exit code " + run.exitCode;
      Optional<String> hidden =
          run.timedOut
              ? Optional.empty()
              : sandbox.undeclaredReads(logFile, confined.mode().equals("strict"));
      return failed(
          id,
          OptionalInt.of(run.exitCode),
          why + " (log: " + log + ")" + hidden.map(h -> ": " + h).orElse(""),
          Optional.of(log),
          start,
          attempt);
    }
    // 5. Success: check, hash, write the manifest, publish.
    recipeSucceeded.run();
    List<String> warnings;
    DataVersion.Versions versions;
    String step = "checking its output";
    try {
      Optional<String> escape = OutputChecks.escapingLink(staging);
      if (escape.isPresent()) {
        keepOrDelete(staging, id);
        return failed(
            id,
            OptionalInt.of(0),
            escape.get() + " (log: " + log + ")",
            Optional.of(log),
            start,
            attempt);
      }
      warnings = OutputChecks.check(task.outputType(), staging);
      warnings.forEach(w -> listener.taskWarning(id, w));
      if (wroteOutside.isPresent()) {
        warnings = new java.util.ArrayList<>(warnings);
        warnings.add(wroteOutside.get());
      }
      step = "hashing its output";
      versions = DataVersion.versions(staging, options.hashThreads());
      // The data is on disk before the manifest that vouches for it.
      Publisher.syncTree(staging);
      step = "writing its manifest";
      Manifest manifest =
          Manifest.builder()
              .from(manifest(task, versions, inputVersions, startedAt))
              .putAllCodeFiles(codeFiles)
              .containerRuntime(launch.runtime())
              .sandbox(confined)
              .build();
      ManifestStore.writeInStaging(staging, manifest, signingKey);
    } catch (IOException | RuntimeException e) {
      // A full disk or a read-only folder: the staged attempt goes (freeing its space), the
      // previous output stays as it was.
      Publisher.deleteQuietly(staging);
      return failed(
          id,
          OptionalInt.of(0),
          "the recipe succeeded, but "
              + step
              + " failed: "
              + IoMessages.plain(e)
              + "; the previous output is unchanged (log: "
              + log
              + ")",
          Optional.of(log),
          start,
          attempt);
    }
    if (cancellation.isCancelled()) {
      Publisher.deleteTree(staging);
      return cancelled(id, start, attempt);
    }
    try {
      Publisher.publish(staging, output);
    } catch (IOException e) {
      throw new AfterRecipe("publishing its output", e);
    }
    FailureLog.clear(project(), id);
    if (options.cacheable(task)) {
      try {
        options
            .cache()
            .get()
            .store(
                key, id.output().toString(), task.codeVersion(), inputVersions, versions, output);
      } catch (IOException | RuntimeException e) {
        String w = "could not store the output in the cache: " + e.getMessage();
        warnings = new java.util.ArrayList<>(warnings);
        warnings.add(w);
        listener.taskWarning(id, w);
      }
    }
    return new TaskResult(
        id,
        Outcome.SUCCEEDED,
        OptionalInt.of(0),
        "",
        Optional.of(log),
        Duration.between(start, Instant.now()),
        attempt,
        warnings);
  }

  /** A step after the recipe succeeded failed: the message says which, never "could not run". */
  private static final class AfterRecipe extends IOException {
    private static final long serialVersionUID = 1L;

    AfterRecipe(String step, IOException cause) {
      super("the recipe succeeded, but " + step + " failed: " + IoMessages.plain(cause), cause);
    }
  }

  /**
   * Restores the output from the cache when its action is there: the tree is materialised into a
   * staging directory and hashed again, and only if it hashes to what the entry recorded is it
   * published, with a manifest marked {@code restored_from_cache}. A corrupt entry is dropped with
   * a warning, and the recipe runs.
   */
  private Optional<TaskResult> restore(
      Task task,
      String key,
      Map<String, String> inputVersions,
      Map<String, String> codeFiles,
      Path output,
      ExecutionListener listener,
      Instant start,
      double startedAt,
      int attempt)
      throws IOException {
    CacheStore cache = options.cache().orElseThrow();
    Optional<CacheStore.Entry> entry = cache.lookup(key);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Path staging = Publisher.stage(output, environment.host());
    try {
      cache.materialize(entry.get(), staging);
      DataVersion.Versions versions = DataVersion.versions(staging, options.hashThreads());
      Publisher.syncTree(staging);
      if (!versions.dataVersion().equals(entry.get().dataVersion())
          || !versions.treeVersion().equals(entry.get().treeVersion())) {
        throw new IOException(
            "it hashes to " + versions.dataVersion() + ", not " + entry.get().dataVersion());
      }
      Manifest manifest =
          Manifest.builder()
              .from(manifest(task, versions, inputVersions, startedAt))
              .putAllCodeFiles(codeFiles)
              .restoredFromCache(true)
              .build();
      ManifestStore.writeInStaging(staging, manifest, signingKey);
      Publisher.publish(staging, output);
      FailureLog.clear(project(), task.id());
      return Optional.of(
          new TaskResult(
              task.id(),
              Outcome.RESTORED,
              OptionalInt.empty(),
              "restored from cache",
              Optional.empty(),
              Duration.between(start, Instant.now()),
              attempt,
              List.of()));
    } catch (IOException e) {
      Publisher.deleteTree(staging);
      cache.forget(key);
      listener.taskWarning(
          task.id(), "the cached output is damaged (" + e.getMessage() + "); running the recipe");
      return Optional.empty();
    }
  }

  private Manifest manifest(
      Task task,
      DataVersion.Versions versions,
      Map<String, String> inputVersions,
      double startedAt) {
    GitInfo g = git;
    if (g == null) {
      g = GitInfo.of(project());
      git = g;
    }
    Manifest.Builder b =
        Manifest.builder()
            .outputId(task.id().output().output().value())
            .universeId(task.id().universe().value())
            .codeVersion(task.codeVersion())
            .dataVersion(versions.dataVersion())
            .containerImage(task.container())
            .recipe(task.template())
            .putAllDecisions(task.decisions())
            .putAllInputVersions(inputVersions)
            .gitSha(g.sha())
            .gitRemote(g.remote())
            .lcVersion(Lightcone.version())
            .finishedAt(environment.now())
            .host(environment.host())
            .slurmJobId(environment.variable("SLURM_JOB_ID"))
            .treeVersion(versions.treeVersion())
            .startedAt(startedAt)
            .substrate(options.substrate());
    if (task.imageIdentity().isPresent() && !task.imageIdentity().equals(task.container())) {
      b.imageIdentity(task.imageIdentity());
    }
    return b.build();
  }

  private void keepOrDelete(Path staging, TaskId id) throws IOException {
    if (!options.keepFailed()) {
      Publisher.deleteTree(staging);
      return;
    }
    Path kept = project().resolve(".lightcone/failed/" + id.universe() + "/" + id.output());
    Publisher.deleteTree(kept);
    Files.createDirectories(kept.getParent());
    Files.move(staging, kept);
  }

  /** Runs the recipe of one attempt. */
  private interface Attempt {
    TaskResult run() throws IOException;
  }

  /** The outcome of one process. */
  private static final class Run {
    volatile int exitCode = -1;
    volatile boolean timedOut;
    volatile boolean cancelled;
  }

  private Run execute(
      Task task,
      List<String> argv,
      ContainerTasks.Launch launch,
      Path logFile,
      Cancellation cancellation,
      ExecutionListener listener)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .directory(project().toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Run run = new Run();
    AtomicBoolean killed = new AtomicBoolean();
    Orphans.Slot slot = orphans.slot();
    Process process;
    try {
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      slot.close();
      throw e;
    }
    try {
      slot.record(process);
    } catch (IOException | RuntimeException e) {
      // A full disk can refuse even this short record: the recipe must not outlive the task.
      ProcessTree.kill(process, KILL_GRACE_MILLIS);
      slot.close();
      throw e;
    }
    Runnable kill =
        () -> {
          if (killed.compareAndSet(false, true)) {
            // A container outlives its runtime's client: remove it first, then the client ends.
            launch.container().ifPresent(ContainerTasks.Running::remove);
            ProcessTree.kill(process, KILL_GRACE_MILLIS);
          }
        };
    Runnable unregister =
        cancellation.onCancel(
            () -> {
              run.cancelled = true;
              // Kill from another thread: onCancel may run on the canceller's thread.
              Thread killer = new Thread(kill, "lightcone-kill");
              killer.setDaemon(true);
              killer.start();
            });
    ScheduledFuture<?> limit = null;
    Optional<Duration> timeLimit = task.resources().flatMap(r -> r.timeLimitDuration());
    if (timeLimit.isPresent()) {
      limit =
          timers.schedule(
              () -> {
                run.timedOut = true;
                kill.run();
              },
              timeLimit.get().toMillis(),
              TimeUnit.MILLISECONDS);
    }
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = out.readLine()) != null) {
        log.write(line);
        log.newLine();
        listener.taskOutput(task.id(), line);
      }
      log.flush();
      run.exitCode = waitFor(process, kill);
    } finally {
      unregister.run();
      if (limit != null) {
        limit.cancel(false);
      }
      if (process.isAlive() || !killed.get() && (run.cancelled || run.timedOut)) {
        kill.run();
      }
      slot.close();
    }
    return run;
  }

  private static int waitFor(Process process, Runnable kill) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
          kill.run();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static TaskResult failed(
      TaskId id,
      OptionalInt exit,
      String detail,
      Optional<String> log,
      Instant start,
      int attempt) {
    return new TaskResult(
        id,
        Outcome.FAILED,
        exit,
        detail,
        log,
        Duration.between(start, Instant.now()),
        attempt,
        List.of());
  }

  private static TaskResult cancelled(TaskId id, Instant start, int attempt) {
    return new TaskResult(
        id,
        Outcome.CANCELLED,
        OptionalInt.empty(),
        "cancelled",
        Optional.empty(),
        Duration.between(start, Instant.now()),
        attempt,
        List.of());
  }

  /** Stops the time-limit timer thread and removes this runner's records of running recipes. */
  public void close() {
    inputs.flush();
    timers.shutdownNow();
    try {
      orphans.close();
    } catch (IOException e) {
      // A record left behind names no live group; the next run's clean-up deletes it.
    }
  }
}
