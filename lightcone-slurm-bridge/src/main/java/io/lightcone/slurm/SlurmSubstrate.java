package io.lightcone.slurm;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.TaskProtocol;
import io.lightcone.slurm.internal.JobOptions;
import io.lightcone.slurm.internal.JobRecords;
import io.lightcone.slurm.internal.Slurm;
import io.lightcone.slurm.internal.Slurm.JobState;
import io.lightcone.slurm.internal.SlurmEnvironment;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.SchedulingOptions;
import io.lightcone.spi.Substrate;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Runs each task as a SLURM job, submitted from where {@code lc} runs (a login node): the job runs
 * the plumbing command {@code lc task run} on a compute node, with the recipe's resources as {@code
 * sbatch} requests, and the queue, not this process, orders the work: a task's job depends on its
 * upstream tasks' jobs ({@code --dependency=afterok:...}). Job states are read with one {@code
 * squeue} call per poll for all of a run's jobs. Cancellation {@code scancel}s every job the run
 * submitted. With {@link #detach(boolean)} it submits everything and returns; {@code lc run} again
 * adopts the jobs still queued or running instead of submitting them twice.
 *
 * <pre>{@code
 * plan.execute(SlurmSubstrate.create().partition("short").retries(1)).throwIfFailed();
 * }</pre>
 *
 * <p>The project directory must be on a file system the compute nodes share: each job writes its
 * result there, and a job that completes without one is reported as that problem.
 */
public final class SlurmSubstrate implements Substrate {
  private static final Duration DEFAULT_POLL = Duration.ofSeconds(3);

  /** How long a cancelled run waits for SLURM to end its jobs. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

  /** Polls a job may be missing from squeue (after it ended) before it counts as lost. */
  private static final int MISSES = 3;

  /** The settings of a substrate; copied by every {@code with}, never changed after. */
  private static final class Settings implements Cloneable {
    SlurmEnvironment environment = SlurmEnvironment.system();
    Optional<String> partition = Optional.empty();
    Optional<String> account = Optional.empty();
    Optional<String> qos = Optional.empty();
    List<String> sbatchOptions = List.of();
    Duration poll = DEFAULT_POLL;
    int maxJobs = Integer.MAX_VALUE;
    boolean keepGoing;
    int retries;
    boolean detach;
    Consumer<String> notes = s -> {};

    Settings copy() {
      try {
        return (Settings) clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private final Settings settings;
  private final SlurmEnvironment environment;
  private final Optional<String> partition;
  private final Optional<String> account;
  private final Optional<String> qos;
  private final List<String> sbatchOptions;
  private final Duration poll;
  private final int maxJobs;
  private final boolean keepGoing;
  private final int retries;
  private final boolean detach;
  private final Consumer<String> notes;

  /** The {@link java.util.ServiceLoader} constructor; prefer {@link #create()}. */
  public SlurmSubstrate() {
    this(new Settings());
  }

  private SlurmSubstrate(Settings s) {
    this.settings = s;
    this.environment = s.environment;
    this.partition = s.partition;
    this.account = s.account;
    this.qos = s.qos;
    this.sbatchOptions = List.copyOf(s.sbatchOptions);
    this.poll = s.poll;
    this.maxJobs = s.maxJobs;
    this.keepGoing = s.keepGoing;
    this.retries = s.retries;
    this.detach = s.detach;
    this.notes = s.notes;
  }

  private SlurmSubstrate with(Consumer<Settings> change) {
    Settings s = settings.copy();
    change.accept(s);
    return new SlurmSubstrate(s);
  }

  public static SlurmSubstrate create() {
    return new SlurmSubstrate();
  }

  /** For tests: the environment the SLURM commands run in and are found through. */
  static SlurmSubstrate create(SlurmEnvironment environment) {
    return new SlurmSubstrate().with(s -> s.environment = environment);
  }

  /** Submit to this partition ({@code --partition}); by default the cluster's default one. */
  public SlurmSubstrate partition(String partition) {
    String p = nonBlank(partition, "partition");
    return with(s -> s.partition = Optional.of(p));
  }

  /** Charge this account ({@code --account}). */
  public SlurmSubstrate account(String account) {
    String a = nonBlank(account, "account");
    return with(s -> s.account = Optional.of(a));
  }

  /** Submit with this quality of service ({@code --qos}). */
  public SlurmSubstrate qos(String qos) {
    String q = nonBlank(qos, "qos");
    return with(s -> s.qos = Optional.of(q));
  }

  /** More {@code sbatch} options for every job, e.g. {@code --constraint=skylake}. */
  public SlurmSubstrate sbatchOptions(List<String> options) {
    for (String o : options) {
      if (!o.startsWith("-")) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "sbatch option '" + o + "' does not start with '-'; write it as --name=value");
      }
    }
    List<String> copy = List.copyOf(options);
    return with(s -> s.sbatchOptions = copy);
  }

  /** How often job states are read (one squeue call each time); default 3 s. */
  public SlurmSubstrate pollInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT, "the poll interval must be positive");
    }
    return with(s -> s.poll = interval);
  }

  /** At most this many of the run's jobs in the queue at once (a site's per-user limit). */
  public SlurmSubstrate maxJobs(int maxJobs) {
    if (maxJobs < 1) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, "max jobs must be >= 1");
    }
    return with(s -> s.maxJobs = maxJobs);
  }

  /** After a failure, go on with every task that does not depend on it. */
  public SlurmSubstrate keepGoing(boolean keepGoing) {
    return with(s -> s.keepGoing = keepGoing);
  }

  /**
   * Submit a failed task again up to {@code retries} more times, also when SLURM killed it (time
   * limit, memory, node failure, preemption).
   */
  public SlurmSubstrate retries(int retries) {
    if (retries < 0) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, "retries must be >= 0");
    }
    return with(s -> s.retries = retries);
  }

  /**
   * Keep-going and retries as set; {@code jobs} caps the run's jobs in the queue ({@link
   * #maxJobs}).
   */
  @Override
  public SlurmSubstrate with(SchedulingOptions options) {
    SlurmSubstrate s = keepGoing(options.keepGoing()).retries(options.retries());
    return options.jobs().isPresent() ? s.maxJobs(options.jobs().getAsInt()) : s;
  }

  /**
   * Submit every task and return at once, each task {@code SUBMITTED}: SLURM runs them after this
   * process ends. Dependents of a failed job are then cancelled by SLURM itself. Not with {@link
   * #retries} or {@link #maxJobs}, which need a process that watches the queue.
   */
  public SlurmSubstrate detach(boolean detach) {
    return with(s -> s.detach = detach);
  }

  /** Calls {@code action} with a line for the user: jobs submitted, adopted, cancelled. */
  public SlurmSubstrate onNote(Consumer<String> action) {
    Objects.requireNonNull(action, "action");
    return with(s -> s.notes = action);
  }

  @Override
  public String name() {
    return "slurm";
  }

  @Override
  public String toString() {
    return "SlurmSubstrate[" + (detach ? "detach, " : "") + "retries=" + retries + "]";
  }

  @Override
  public ExecutionReport execute(ExecutionContext context) {
    if (detach && retries > 0) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "--detach cannot retry: a retry needs lc to watch the queue; leave out --retries, or"
              + " --detach");
    }
    if (detach && maxJobs != Integer.MAX_VALUE) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "--detach cannot cap the jobs in the queue (--max-jobs): every job is submitted at"
              + " once");
    }
    Slurm slurm = context.plan().toRun().isEmpty() ? null : Slurm.on(environment);
    return new Run(context, slurm).run();
  }

  private static String nonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, what + " is empty");
    }
    return value;
  }

  /** One submitted attempt of a task. */
  private static final class Job {
    final TaskId task;
    final int attempt;
    final String id;
    final Path result;
    final Path out;
    boolean started;
    int misses;

    Job(TaskId task, int attempt, String id, Path result, Path out) {
      this.task = task;
      this.attempt = attempt;
      this.id = id;
      this.result = result;
      this.out = out;
    }
  }

  /** One execution's state; touched by the executing thread only. */
  private final class Run {
    private final ExecutionContext context;
    private final Slurm slurm;
    private final Path project;
    private final Map<TaskId, PlannedTask> planned = new LinkedHashMap<>();
    private final Map<TaskId, Integer> index = new HashMap<>();
    private final Map<TaskId, TaskResult> results = new HashMap<>();
    private final Map<TaskId, Integer> attempts = new HashMap<>();
    private final List<TaskId> waiting = new ArrayList<>();
    private final Map<TaskId, Job> active = new LinkedHashMap<>();
    private final Object wake = new Object();
    private final String runId = randomId();
    private Path dir;
    private boolean stopped;
    private boolean interrupted;

    Run(ExecutionContext context, Slurm slurm) {
      this.context = context;
      this.slurm = slurm;
      this.project = context.plan().directory();
      int i = 0;
      for (PlannedTask t : context.plan().tasks()) {
        planned.put(t.task().id(), t);
        index.put(t.task().id(), i++);
      }
    }

    ExecutionReport run() {
      for (PlannedTask t : planned.values()) {
        if (t.action() == PlannedTask.Action.SKIP) {
          finish(TaskResult.of(t.task().id(), Outcome.UP_TO_DATE, "fresh"));
        } else {
          waiting.add(t.task().id());
        }
      }
      Runnable unregister =
          context
              .cancellation()
              .onCancel(
                  () -> {
                    synchronized (wake) {
                      wake.notifyAll();
                    }
                  });
      try {
        if (!waiting.isEmpty() && !cancelled()) {
          dir = JobRecords.runDirectory(project, runId);
          adopt();
        }
        while (!waiting.isEmpty() || !active.isEmpty()) {
          if (cancelled()) {
            cancelAll();
            break;
          }
          submitReady();
          if (detach && waiting.isEmpty()) {
            handOver();
            break;
          }
          if (active.isEmpty()) {
            continue; // submitReady settled every waiting task it could not submit
          }
          pause(poll);
          if (!cancelled()) {
            pollOnce();
          }
        }
      } finally {
        unregister.run();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      List<TaskResult> ordered = new ArrayList<>();
      for (TaskId id : planned.keySet()) {
        ordered.add(results.get(id));
      }
      return new ExecutionReport(name(), ordered, Duration.ZERO);
    }

    private boolean cancelled() {
      return interrupted || context.cancellation().isCancelled();
    }

    private void pause(Duration d) {
      synchronized (wake) {
        if (cancelled()) {
          return;
        }
        try {
          wake.wait(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
          interrupted = true; // an interrupted execution is a cancelled one (Substrate contract)
        }
      }
    }

    /**
     * Jobs an earlier detached run left queued or running for tasks this plan would run: waited for
     * (or, detached, left alone) instead of submitted twice, when their code version is the plan's;
     * cancelled when the task changed since.
     */
    private void adopt() {
      Map<String, JobRecords.Record> recorded = JobRecords.read(project);
      if (recorded.isEmpty()) {
        return;
      }
      List<String> ids = new ArrayList<>();
      recorded.values().forEach(r -> ids.add(r.job()));
      Map<String, JobState> states = slurm.states(ids);
      List<String> stale = new ArrayList<>();
      int adopted = 0;
      for (TaskId id : List.copyOf(waiting)) {
        JobRecords.Record r = recorded.get(id.toString());
        if (r == null) {
          continue;
        }
        JobState s = states.get(r.job());
        if (s == null || !s.active()) {
          // Ended, maybe after this plan was made: a success it reported is taken, not redone; a
          // failure is submitted again.
          Optional<TaskResult> done =
              readResult(new Job(id, r.attempt(), r.job(), Path.of(r.result()), Path.of(r.out())));
          if (done.isPresent() && done.get().outcome().ok()) {
            waiting.remove(id);
            finish(done.get());
          }
          continue;
        }
        if (!r.codeVersion().equals(planned.get(id).task().codeVersion())) {
          stale.add(r.job());
          continue;
        }
        waiting.remove(id);
        attempts.put(id, r.attempt());
        active.put(id, new Job(id, r.attempt(), r.job(), Path.of(r.result()), Path.of(r.out())));
        adopted++;
      }
      if (!stale.isEmpty()) {
        slurm.cancel(stale);
        notes.accept("cancelled " + stale.size() + " queued job(s) of tasks changed since");
      }
      if (adopted > 0) {
        notes.accept(adopted + " task(s) already queued or running in SLURM: not submitted again");
      }
    }

    /** Submits every waiting task whose upstream tasks succeeded or are queued, in plan order. */
    private void submitReady() {
      boolean changed = true;
      while (changed) {
        changed = false;
        for (int i = 0; i < waiting.size(); ) {
          TaskId id = waiting.get(i);
          Task task = planned.get(id).task();
          List<String> after = new ArrayList<>();
          String failed = null;
          boolean ready = true;
          for (TaskId dep : task.dependsOn()) {
            if (!planned.containsKey(dep)) {
              continue; // not in this plan: its manifest was checked when planning
            }
            TaskResult r = results.get(dep);
            if (r != null) {
              if (!r.outcome().ok() && r.outcome() != Outcome.SUBMITTED) {
                failed = dep + " " + r.outcome().word();
                break;
              }
            } else if (active.containsKey(dep)) {
              after.add(active.get(dep).id);
            } else {
              ready = false;
            }
          }
          if (failed != null) {
            waiting.remove(i);
            finish(TaskResult.of(id, Outcome.SKIPPED, "skipped: " + failed));
            changed = true;
            continue;
          }
          if (stopped) {
            waiting.remove(i);
            finish(TaskResult.of(id, Outcome.SKIPPED, "not started: an earlier task failed"));
            changed = true;
            continue;
          }
          if (!ready || active.size() >= maxJobs) {
            i++;
            continue;
          }
          waiting.remove(i);
          submit(task, after);
          changed = true;
        }
      }
    }

    private void submit(Task task, List<String> after) {
      TaskId id = task.id();
      int attempt = attempts.merge(id, 1, Integer::sum);
      String stem = index.get(id) + "-" + attempt;
      Path result = dir.resolve(stem + ".result.json");
      Path out = dir.resolve(stem + ".out");
      Path script = dir.resolve(stem + ".sh");
      List<String> command = new ArrayList<>(context.taskCommand(task));
      command.add("--result-file");
      command.add(result.toString());
      JobRecords.writeScript(script, command);
      List<String> options = new ArrayList<>();
      options.add("--job-name=" + jobName());
      options.add("--output=" + out);
      options.add("--chdir=" + project);
      options.addAll(JobOptions.of(task.resources(), partition, account, qos, sbatchOptions));
      if (!after.isEmpty()) {
        options.add("--dependency=afterok:" + String.join(":", after));
        if (detach) {
          // Nobody watches a detached run: SLURM itself drops the dependents of a failed job.
          options.add("--kill-on-invalid-dep=yes");
        }
      }
      String job;
      try {
        job = slurm.submit(options, script);
      } catch (LightconeException e) {
        // Nothing of this run stays in the queue when SLURM refuses one of its jobs.
        List<String> ids = new ArrayList<>();
        active.values().forEach(j -> ids.add(j.id));
        slurm.cancel(ids);
        throw new LightconeException(
            e.kind(),
            "SLURM refused the job of "
                + id
                + ": "
                + e.getMessage().replaceFirst("^sbatch refused the job: ", "")
                + (ids.isEmpty() ? "" : " (the run's " + ids.size() + " other job(s) cancelled)"),
            e);
      }
      submittedHere.add(job);
      active.put(id, new Job(id, attempt, job, result, out));
    }

    private final java.util.Set<String> submittedHere = new java.util.HashSet<>();

    private boolean isOurs(String job) {
      return submittedHere.contains(job);
    }

    private String jobName() {
      return "lc-" + runId;
    }

    /** Detached: every task is in the queue; record the jobs so a later run finds them. */
    private void handOver() {
      Map<String, JobRecords.Record> records = new LinkedHashMap<>(JobRecords.read(project));
      List<String> ids = new ArrayList<>();
      for (Job j : active.values()) {
        records.put(
            j.task.toString(),
            new JobRecords.Record(
                j.id,
                j.attempt,
                planned.get(j.task).task().codeVersion(),
                j.result.toString(),
                j.out.toString()));
        if (isOurs(j.id)) {
          ids.add(j.id); // adopted jobs were announced by adopt()
        }
        finish(TaskResult.of(j.task, Outcome.SUBMITTED, "SLURM job " + j.id));
      }
      JobRecords.write(project, records);
      active.clear();
      if (!ids.isEmpty()) {
        notes.accept("submitted " + ids.size() + " SLURM job(s): " + String.join(" ", ids));
      }
    }

    private void pollOnce() {
      // One squeue call for the run's jobs (by name); one more only for jobs adopted from an
      // earlier detached run, which carry that run's name.
      Map<String, JobState> states = new HashMap<>(slurm.states(jobName()));
      List<String> others =
          active.values().stream().map(j -> j.id).filter(id -> !states.containsKey(id)).toList();
      if (others.stream().anyMatch(id -> !isOurs(id))) {
        states.putAll(slurm.states(others));
      }
      for (Job job : List.copyOf(active.values())) {
        if (active.get(job.task) != job) {
          continue; // settled while handling another job's end
        }
        JobState s = states.get(job.id);
        if (s != null && s.active()) {
          if (s.running() && !job.started) {
            job.started = true;
            context.listener().taskStarted(job.task, job.attempt);
          }
          continue;
        }
        // SLURM's word wins over a result written while SLURM was killing the job.
        Optional<TaskResult> reported =
            s != null && killedBySlurm(s) ? Optional.empty() : readResult(job);
        if (s == null && reported.isEmpty() && ++job.misses < MISSES) {
          continue; // squeue may lag just after the job ended
        }
        if (!job.started) {
          job.started = true;
          context.listener().taskStarted(job.task, job.attempt);
        }
        active.remove(job.task);
        ended(reported.orElseGet(() -> lost(job, s)), job);
      }
    }

    private boolean killedBySlurm(JobState s) {
      return switch (s.state()) {
        case "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE" -> true;
        default -> false;
      };
    }

    private Optional<TaskResult> readResult(Job job) {
      try {
        return TaskProtocol.read(job.result)
            .map(
                r ->
                    new TaskResult(
                        job.task,
                        r.outcome(),
                        r.exitCode(),
                        r.detail(),
                        r.log(),
                        r.duration(),
                        job.attempt,
                        r.warnings()));
      } catch (LightconeException | UncheckedIOException e) {
        return Optional.of(
            new TaskResult(
                job.task,
                Outcome.FAILED,
                OptionalInt.empty(),
                "SLURM job " + job.id + " left an unreadable result: " + e.getMessage(),
                Optional.of(relative(job.out)),
                Duration.ZERO,
                job.attempt,
                List.of()));
      }
    }

    /** A job that ended without a result: SLURM killed it, or it could not write one. */
    private TaskResult lost(Job job, JobState s) {
      if (s != null && s.state().equals("COMPLETED")) {
        cancelAll();
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "SLURM job "
                + job.id
                + " of "
                + job.task
                + " completed but its result "
                + job.result
                + " is not there: is "
                + project
                + " on a file system the compute nodes share? Run lc from such a directory"
                + " (the run's other jobs were cancelled)");
      }
      String why =
          s == null
              ? "is no longer in the queue and left no result"
              : "ended with "
                  + s.state()
                  + (s.reason().equals("None") ? "" : " (" + s.reason() + ")");
      return new TaskResult(
          job.task,
          Outcome.FAILED,
          OptionalInt.empty(),
          "SLURM job " + job.id + " " + why + "; its output: " + relative(job.out),
          Optional.of(relative(job.out)),
          Duration.ZERO,
          job.attempt,
          List.of());
    }

    private String relative(Path p) {
      return p.startsWith(project) ? project.relativize(p).toString() : p.toString();
    }

    /** An attempt ended: retried, or final. */
    private void ended(TaskResult r, Job job) {
      if (r.outcome() == Outcome.FAILED
          && job.attempt <= retries
          && !cancelled()
          && !(stopped && !keepGoing)) {
        context.listener().taskFinished(r);
        requeueDependents(job.task);
        submit(planned.get(job.task).task(), List.of());
        return;
      }
      finish(r);
      if (!r.outcome().ok()) {
        dropDependents(job.task, job.task + " " + r.outcome().word());
        if (!keepGoing) {
          stopped = true;
          List<String> pending = new ArrayList<>();
          for (Job j : List.copyOf(active.values())) {
            if (!j.started) {
              pending.add(j.id);
              active.remove(j.task);
              finish(TaskResult.of(j.task, Outcome.SKIPPED, "not started: an earlier task failed"));
            }
          }
          slurm.cancel(pending);
        }
      }
    }

    /** The queued jobs downstream of {@code task}, transitively. */
    private List<Job> downstream(TaskId task) {
      List<Job> out = new ArrayList<>();
      List<TaskId> frontier = new ArrayList<>(List.of(task));
      while (!frontier.isEmpty()) {
        TaskId t = frontier.remove(0);
        for (Job j : active.values()) {
          if (!out.contains(j) && planned.get(j.task).task().dependsOn().contains(t)) {
            out.add(j);
            frontier.add(j.task);
          }
        }
      }
      return out;
    }

    /** A retried task gets a new job: its waiting dependents are submitted again after it. */
    private void requeueDependents(TaskId task) {
      List<Job> jobs = downstream(task);
      List<String> ids = new ArrayList<>();
      for (Job j : jobs) {
        ids.add(j.id);
        active.remove(j.task);
        attempts.merge(j.task, -1, Integer::sum);
        waiting.add(j.task);
      }
      slurm.cancel(ids);
      waiting.sort((a, b) -> index.get(a) - index.get(b));
    }

    /** The queued dependents of a failed task can never run: cancelled and reported skipped. */
    private void dropDependents(TaskId task, String why) {
      List<String> ids = new ArrayList<>();
      for (Job j : downstream(task)) {
        ids.add(j.id);
        active.remove(j.task);
        finish(TaskResult.of(j.task, Outcome.SKIPPED, "skipped: " + why));
      }
      slurm.cancel(ids);
    }

    /** Cancels every job of the run and waits (bounded) until SLURM has ended them. */
    private void cancelAll() {
      List<String> ids = new ArrayList<>();
      active.values().forEach(j -> ids.add(j.id));
      if (slurm != null && !ids.isEmpty()) {
        slurm.cancel(ids);
        notes.accept("cancelled " + ids.size() + " SLURM job(s): " + String.join(" ", ids));
        long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
        while (System.nanoTime() < deadline
            && slurm.states(ids).values().stream().anyMatch(JobState::active)) {
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            interrupted = true;
            break;
          }
        }
      }
      for (Job j : active.values()) {
        finish(
            new TaskResult(
                j.task,
                Outcome.CANCELLED,
                OptionalInt.empty(),
                "cancelled (SLURM job " + j.id + ")",
                Optional.empty(),
                Duration.ZERO,
                j.attempt,
                List.of()));
      }
      active.clear();
      for (TaskId id : waiting) {
        finish(TaskResult.of(id, Outcome.CANCELLED, "cancelled before it started"));
      }
      waiting.clear();
    }

    private void finish(TaskResult r) {
      results.put(r.task(), r);
      context.listener().taskFinished(r);
    }
  }

  private static String randomId() {
    byte[] b = new byte[5];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
