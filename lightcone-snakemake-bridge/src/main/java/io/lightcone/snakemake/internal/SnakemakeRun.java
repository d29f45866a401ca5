package io.lightcone.snakemake.internal;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.event.ExecutionListener;
import io.lightcone.snakemake.SnakemakeDispatch;
import io.lightcone.spi.CancellationSignal;
import io.lightcone.spi.Dependencies;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.ProcessGroups;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * One execution of a plan by snakemake: write the workflow, serve the rules' tasks from this
 * process, run snakemake in a session of its own, and report each task from the task runner. Also
 * the dry run behind {@code lc plan --substrate snakemake}.
 *
 * <p>Every rule's shell is the plumbing client followed by the plumbing command ({@code lc task run
 * ...}). While this execution runs, the client hands its task to the {@link PlumbingServer} of this
 * process, which runs it through {@code context.runner()} — the task runner {@code lc task run}
 * would use, so the same manifests — without a JVM per task; the runner's own events are the live
 * progress (start, output lines, warnings, end), and its results the report. A task that ran
 * through the plumbing command instead (the server gone) is reported from what the task runner
 * recorded: the manifest it published, or its failure record.
 *
 * <pre>{@code ExecutionReport r = SnakemakeRun.execute(context, settings, Environment.system());}
 * </pre>
 */
public final class SnakemakeRun {
  static final String NAME = "snakemake";
  static final String LOG = ".lightcone/logs/snakemake.log";

  /**
   * The plumbing server's loopback address, host:port, in the environment of snakemake and its
   * jobs.
   */
  static final String ADDRESS_VARIABLE = "LIGHTCONE_PLUMBING";

  static final String TOKEN_VARIABLE = "LIGHTCONE_PLUMBING_TOKEN";

  /** The version of the snakemake last used, with what it was checked on (see Installation). */
  static final String VERSION = ".lightcone/snakemake/version";

  /** How long snakemake and the recipes get to end on SIGTERM before SIGKILL. */
  static final Duration KILL_GRACE = Duration.ofSeconds(3);

  /** How many lines of snakemake's log a failure's detail quotes. */
  static final int TAIL_LINES = 15;

  private final ExecutionContext context;
  private final Settings settings;
  private final Environment environment;
  private final Path project;
  private final ExecutionListener listener;
  private final Map<TaskId, PlannedTask> planned = new LinkedHashMap<>();
  private final Map<TaskId, TaskRecords.Snapshot> before = new HashMap<>();

  // What the server ran: written by its threads, read after it closed.
  private final Map<TaskId, TaskResult> served = new ConcurrentHashMap<>();
  private final Map<TaskId, Integer> attempts = new ConcurrentHashMap<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /** When the execution was cancelled, in Unix seconds as failure records have it; NaN if not. */
  private volatile double cancelledAt = Double.NaN;

  private SnakemakeRun(ExecutionContext context, Settings settings, Environment environment) {
    this.context = context;
    this.settings = settings;
    this.environment = environment;
    this.project = context.plan().directory();
    this.listener = context.listener();
    context.plan().tasks().forEach(t -> planned.put(t.task().id(), t));
  }

  /** Runs {@code context}'s plan with snakemake (see {@link io.lightcone.spi.Substrate}). */
  public static ExecutionReport execute(
      ExecutionContext context, Settings settings, Environment environment) {
    return new SnakemakeRun(context, settings, environment).run();
  }

  /**
   * Writes the workflow of {@code plan} and asks snakemake what it would run ({@code --dry-run}).
   *
   * @return snakemake's summary, or a line saying that nothing is to run
   * @throws LightconeException of kind ENVIRONMENT when snakemake is missing, too old or fails
   */
  public static String dryRun(Plan plan, Settings settings, Environment environment) {
    if (plan.toRun().isEmpty()) {
      return "snakemake: nothing to run, every task is fresh";
    }
    Installation snakemake =
        Installation.locate(
            environment, settings.executable(), Optional.of(plan.directory().resolve(VERSION)));
    Workflow workflow = Workflow.of(plan, t -> plan.taskCommand(t, NAME));
    workflow.write(plan.directory());
    List<String> argv = arguments(snakemake, plan.directory(), settings);
    argv.addAll(List.of("--dry-run", "--quiet", "rules", "--", Workflow.TARGETS_RULE));
    try {
      Process p =
          new ProcessBuilder(argv)
              .directory(plan.directory().toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int exit = p.waitFor();
      if (exit != 0) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "snakemake --dry-run failed (exit " + exit + "):\n" + out.strip());
      }
      return out.strip();
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot run " + snakemake.executable() + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LightconeException(
          LightconeException.Kind.INTERRUPTED, "interrupted during snakemake --dry-run", e);
    }
  }

  /** The flags every snakemake run of Lightcone's gets; see the class comment of Workflow. */
  private static List<String> arguments(Installation snakemake, Path project, Settings settings) {
    List<String> argv = new ArrayList<>();
    argv.add(snakemake.executable().toString());
    argv.addAll(
        List.of(
            "--snakefile",
            project.resolve(Workflow.SNAKEFILE).toString(),
            "--directory",
            project.toString(),
            "--cores",
            Integer.toString(settings.cores()),
            // The default ILP scheduler is slow on wide DAGs (notes/engines.md).
            "--scheduler",
            "greedy",
            // The plan decided what runs; Snakemake runs all of its DAG, which is exactly that.
            "--forceall",
            // Lightcone's run lock already serialises runs; Snakemake's would outlive a crash.
            "--nolock",
            // A killed run leaves incomplete markers; its tasks are in the plan again anyway.
            "--rerun-incomplete",
            // Snakemake would delete a failed job's outputs: the previous output must stay.
            "--keep-incomplete",
            "--restart-times",
            Integer.toString(settings.retries()),
            "--nocolor",
            "--printshellcmds"));
    if (settings.keepGoing()) {
      argv.add("--keep-going");
    }
    if (settings.dispatch().isEmpty()) {
      argv.addAll(settings.resources()); // on this machine: the local substrate's budgets
    }
    return argv;
  }

  private ExecutionReport run() {
    List<PlannedTask> toRun = context.plan().toRun();
    if (toRun.isEmpty() || context.cancellation().isCancelled()) {
      return report(0, false);
    }
    Installation snakemake =
        Installation.locate(
            environment, settings.executable(), Optional.of(project.resolve(VERSION)));
    Workflow workflow = Workflow.of(context.plan(), context::taskCommand);
    workflow.write(project);
    for (PlannedTask t : toRun) {
      before.put(t.task().id(), TaskRecords.snapshot(project, t.task()));
    }
    try {
      Files.createDirectories(project.resolve(LOG).getParent());
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot create " + project.resolve(LOG).getParent() + ": " + e.getMessage(),
          e);
    }
    List<String> argv = arguments(snakemake, project, settings);
    Optional<SnakemakeDispatch.Session> session = Optional.empty();
    if (settings.dispatch().isPresent()) {
      session = start(settings.dispatch().get(), toRun);
      if (session.isEmpty()) {
        return report(0, false); // cancelled while the dispatch started
      }
      // With cluster hooks, --jobs caps the jobs submitted at once (--cores stays for local rules);
      // by default every task may be, and the cluster's resources decide.
      int jobs = settings.jobs() > 0 ? settings.jobs() : toRun.size();
      argv.addAll(List.of("--jobs", Integer.toString(jobs)));
      argv.addAll(session.get().arguments());
    }
    argv.addAll(List.of("--", Workflow.TARGETS_RULE));
    int exit;
    try (PlumbingServer server = PlumbingServer.start(this::serve)) {
      exit = runSnakemake(argv, server);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot listen on the loopback interface for snakemake's jobs: " + e.getMessage(),
          e);
    } finally {
      session.ifPresent(
          s -> {
            try {
              for (PlannedTask t : toRun) {
                int tries = s.attempts(t.task().id());
                if (tries > 0) {
                  attempts.put(t.task().id(), tries);
                }
              }
            } finally {
              s.close();
            }
          });
    }
    return report(exit, true);
  }

  /** Gets the dispatch ready for the tasks to run: each as snakemake will submit it. */
  private Optional<SnakemakeDispatch.Session> start(
      SnakemakeDispatch dispatch, List<PlannedTask> toRun) {
    List<SnakemakeDispatch.Job> jobs = new ArrayList<>();
    for (PlannedTask t : toRun) {
      Task task = t.task();
      jobs.add(
          new SnakemakeDispatch.Job(
              task.id(), task.outputDir(), context.taskCommand(task), task.resources()));
    }
    Optional<SnakemakeDispatch.Session> session =
        dispatch.start(project, jobs, context.cancellation());
    session.flatMap(SnakemakeDispatch.Session::note).ifPresent(context.listener()::substrateNote);
    return session;
  }

  /**
   * Runs one task for a rule's plumbing client, through the task runner; the client going away or
   * the execution being cancelled cancels it.
   *
   * @return the client's exit code (0 when the task ended ok) and the outcome
   */
  private String serve(String taskId, String codeVersion, CancellationSignal gone) {
    PlannedTask planned;
    try {
      planned = this.planned.get(TaskId.parse(taskId));
    } catch (IllegalArgumentException e) {
      planned = null;
    }
    if (planned == null || !Workflow.runs(planned)) {
      return "1 not-a-task-to-run";
    }
    Task task = planned.task();
    if (!task.codeVersion().equals(codeVersion)) {
      return "1 other-code-version"; // a Snakefile of another plan: not ours to run
    }
    Runnable undo = context.cancellation().onCancel(gone::cancel);
    try {
      int attempt = attempts.merge(task.id(), 1, Integer::sum);
      TaskResult r;
      try {
        r = context.runner().run(task, attempt, gone, listener);
      } catch (RuntimeException e) {
        r = TaskResult.of(task.id(), Outcome.FAILED, "the task runner failed: " + e);
        listener.taskFinished(r);
      }
      served.put(task.id(), r);
      return (r.outcome().ok() ? "0 " : "1 ") + r.outcome().word();
    } finally {
      undo.run();
    }
  }

  /** Runs snakemake to its end (or its killing on cancellation) and returns its exit code. */
  private int runSnakemake(List<String> argv, PlumbingServer server) throws IOException {
    List<String> command = ProcessGroups.command(argv);
    CommandLine line = new CommandLine(command.get(0));
    command.subList(1, command.size()).forEach(a -> line.addArgument(a, false));
    Map<String, String> variables = new HashMap<>(environment.variables());
    variables.put(ADDRESS_VARIABLE, server.address());
    variables.put(TOKEN_VARIABLE, server.token());
    Group group = new Group();
    DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    try (BufferedWriter log =
        Files.newBufferedWriter(project.resolve(LOG), StandardCharsets.UTF_8)) {
      PumpStreamHandler streams = new PumpStreamHandler(new Lines(log), new Lines(log));
      // A process that inherited snakemake's output and outlived it must not hold us up.
      streams.setStopTimeout(KILL_GRACE);
      DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(project).get();
      executor.setExitValues(null);
      executor.setStreamHandler(streams);
      executor.setProcessDestroyer(group);
      Runnable unregister = context.cancellation().onCancel(group::stop);
      try {
        executor.execute(line, variables, result);
        await(result, group);
      } finally {
        unregister.run();
        Process p = group.process();
        if (p != null) {
          ProcessGroup.reap(p);
        }
      }
      synchronized (log) {
        log.flush();
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot run snakemake (" + command.get(0) + "): " + e.getMessage(),
          e);
    }
    if (result.getException() != null && group.process() == null) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot start snakemake (" + String.join(" ", command) + "): " + result.getException(),
          result.getException());
    }
    return result.getExitValue();
  }

  /**
   * Waits for snakemake; an interrupt of this thread cancels the execution (Substrate contract).
   */
  private void await(DefaultExecuteResultHandler result, Group group) {
    boolean interrupted = false;
    while (!result.hasResult()) {
      try {
        result.waitFor(Duration.ofMillis(200));
      } catch (InterruptedException e) {
        interrupted = true;
        group.stop();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Snakemake's process as commons-exec starts it, and the stop that ends its whole tree. */
  private final class Group implements ProcessDestroyer {
    private Process process;
    private boolean stopping;

    @Override
    public boolean add(Process p) {
      boolean stopNow;
      synchronized (this) {
        process = p;
        stopNow = stopping;
      }
      if (stopNow) {
        kill(p);
      }
      return true;
    }

    @Override
    public boolean remove(Process p) {
      return true; // kept: its descendants may outlive it and are found through it
    }

    @Override
    public synchronized int size() {
      return process == null ? 0 : 1;
    }

    synchronized Process process() {
      return process;
    }

    void stop() {
      if (!cancelled.getAndSet(true)) {
        cancelledAt = System.currentTimeMillis() / 1000.0;
      }
      Process p;
      synchronized (this) {
        if (stopping) {
          return;
        }
        stopping = true;
        p = process;
      }
      if (p != null) {
        kill(p);
      }
    }

    private void kill(Process p) {
      // Not on the caller's thread: cancel() may come from a listener or a signal handler.
      Thread killer =
          new Thread(() -> ProcessGroup.terminate(p, KILL_GRACE), "lightcone-snakemake-kill");
      killer.setDaemon(true);
      killer.start();
    }
  }

  /** Snakemake's output, line by line, into its log. */
  private static final class Lines extends LogOutputStream {
    private final Writer log;

    Lines(Writer log) {
      super(0, StandardCharsets.UTF_8);
      this.log = log;
    }

    @Override
    protected void processLine(String line, int level) {
      synchronized (log) {
        try {
          log.write(line);
          log.write('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** The task's outcome as the task runner recorded it in this execution, if it did. */
  private Optional<TaskResult> recorded(Task task) {
    TaskId id = task.id();
    TaskRecords.Snapshot snapshot = before.get(id);
    Optional<TaskRecords.Published> published = TaskRecords.published(project, task, snapshot);
    int tries = attempts.getOrDefault(id, 1);
    if (published.isPresent()) {
      TaskRecords.Published p = published.get();
      Duration d =
          Double.isNaN(p.startedAt()) || Double.isNaN(p.finishedAt())
              ? Duration.ZERO
              : Duration.ofMillis(Math.round((p.finishedAt() - p.startedAt()) * 1000));
      return Optional.of(
          p.restored()
              ? new TaskResult(
                  id,
                  Outcome.RESTORED,
                  OptionalInt.empty(),
                  "restored from cache",
                  Optional.empty(),
                  d,
                  tries,
                  List.of())
              : new TaskResult(
                  id,
                  Outcome.SUCCEEDED,
                  OptionalInt.of(0),
                  "",
                  Optional.of(TaskRecords.log(id)),
                  d,
                  tries,
                  List.of()));
    }
    return TaskRecords.failure(project, id, snapshot)
        .map(
            f ->
                new TaskResult(
                    id,
                    killedByUs(f) ? Outcome.CANCELLED : Outcome.FAILED,
                    f.exitCode(),
                    killedByUs(f) ? "cancelled" : f.reason(),
                    f.log(),
                    Duration.ZERO,
                    tries,
                    List.of()));
  }

  /**
   * Whether a failure was the cancellation's doing: a plumbing process may outlive its recipe,
   * killed on cancellation, just long enough to record that as a failure.
   */
  private boolean killedByUs(TaskRecords.Failure f) {
    double at = cancelledAt;
    return !Double.isNaN(at) && !(f.failedAt() < at);
  }

  /** One result per planned task, in plan order; pairs every open start with its finish. */
  private ExecutionReport report(int exit, boolean ran) {
    boolean wasCancelled = cancelled.get() || context.cancellation().isCancelled();
    // First what ran or was cancelled, as the task runner told (served) or recorded (a plumbing
    // process); then what never ran, which depends on whether anything failed anywhere.
    Map<TaskId, TaskResult> known = new HashMap<>();
    for (PlannedTask t : planned.values()) {
      TaskId id = t.task().id();
      if (!Workflow.runs(t)) {
        known.put(id, TaskResult.of(id, Outcome.UP_TO_DATE, "fresh"));
      } else if (!ran) {
        known.put(id, TaskResult.of(id, Outcome.CANCELLED, "cancelled before it started"));
      } else if (served.containsKey(id)) {
        TaskResult r = served.get(id);
        if (r.outcome() == Outcome.CANCELLED && !wasCancelled) {
          // Its client went away because snakemake ended under it (killed, crashed): a failure.
          r =
              new TaskResult(
                  id,
                  Outcome.FAILED,
                  r.exitCode(),
                  "stopped: snakemake ended (exit " + exit + ") while it ran; see " + LOG,
                  r.log(),
                  r.duration(),
                  r.attempts(),
                  r.warnings());
        }
        known.put(id, r);
      } else {
        Optional<TaskResult> recorded = recorded(t.task());
        if (recorded.isPresent()) {
          known.put(id, recorded.get());
        } else if (wasCancelled) {
          known.put(id, TaskResult.of(id, Outcome.CANCELLED, "cancelled before it started"));
        }
      }
    }
    boolean failed = known.values().stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
    Map<TaskId, TaskResult> results = new LinkedHashMap<>();
    String tail = null;
    for (PlannedTask t : planned.values()) {
      TaskId id = t.task().id();
      TaskResult r = known.get(id);
      if (r == null) {
        Optional<String> dependency = failedDependency(t.task(), results);
        if (dependency.isPresent()) {
          r = TaskResult.of(id, Outcome.SKIPPED, "skipped: " + dependency.get());
        } else if (failed && !settings.keepGoing()) {
          r = TaskResult.of(id, Outcome.SKIPPED, "not started: an earlier task failed");
        } else {
          if (tail == null) {
            tail = tail();
          }
          r =
              TaskResult.of(
                  id,
                  Outcome.FAILED,
                  "no outcome: snakemake ended (exit "
                      + exit
                      + ") without this task running to one; see "
                      + LOG
                      + (tail.isEmpty() ? "" : ", which ends:\n" + tail));
        }
      }
      results.put(id, r);
    }
    if (ran) {
      removeEmptyOutputs(results);
    }
    for (TaskResult r : results.values()) {
      // The task runner told the listener of every attempt it served; the others end here, each
      // earlier attempt (a retry elsewhere, e.g. by a dispatch) as the failure it was.
      if (!served.containsKey(r.task())) {
        for (int attempt = 1; attempt < r.attempts(); attempt++) {
          listener.taskFinished(
              new TaskResult(
                  r.task(),
                  Outcome.FAILED,
                  OptionalInt.empty(),
                  "attempt " + attempt + " failed; snakemake ran it again",
                  Optional.empty(),
                  Duration.ZERO,
                  attempt,
                  List.of()));
        }
        listener.taskFinished(r);
      }
    }
    return new ExecutionReport(NAME, new ArrayList<>(results.values()), Duration.ZERO);
  }

  private Optional<String> failedDependency(Task task, Map<TaskId, TaskResult> results) {
    return Dependencies.failed(task, results);
  }

  /**
   * Snakemake creates the directory of each declared output before the job starts (the manifest is
   * declared inside it); where the task did not publish and there was nothing before, that empty
   * directory would be a trace of an output that does not exist.
   */
  private void removeEmptyOutputs(Map<TaskId, TaskResult> results) {
    for (TaskResult r : results.values()) {
      TaskRecords.Snapshot snapshot = before.get(r.task());
      if (r.outcome().ok() || snapshot == null || snapshot.outputExisted()) {
        continue;
      }
      Path dir = project.resolve(planned.get(r.task()).task().outputDir());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
        if (!s.iterator().hasNext()) {
          Files.deleteIfExists(dir);
        }
      } catch (IOException e) {
        // Filled meanwhile, or not ours to remove: leave it.
      }
    }
  }

  /** The last lines of snakemake's log. */
  private String tail() {
    Deque<String> lines = new ArrayDeque<>();
    try (var s = Files.lines(project.resolve(LOG), StandardCharsets.UTF_8)) {
      s.forEach(
          l -> {
            lines.addLast("  " + l);
            if (lines.size() > TAIL_LINES) {
              lines.removeFirst();
            }
          });
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
    return String.join("\n", lines);
  }
}
