package io.lightcone.slurm;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.TaskProtocol;
import io.lightcone.core.TaskScheduler;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs each task as a SLURM job, submitted from where {@code lc} runs (a login node): the job runs
 * the plumbing command {@code lc task run} on a compute node, with the recipe's resources as {@code
 * sbatch} requests, and the queue, not this process, orders the work: a task's job depends on its
 * upstream tasks' jobs ({@code --dependency=afterok:...}). Lightcone's one scheduler ({@link
 * TaskScheduler}) admits the tasks, caps the jobs in the queue, retries and keeps going; this class
 * is its launcher. Job states are read with one {@code squeue} call per poll for all of a run's
 * jobs. Cancellation {@code scancel}s every job the run submitted. With {@link #detach(boolean)} it
 * submits everything and returns; {@code lc run} again adopts the jobs still queued or running
 * instead of submitting them twice.
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
    SchedulingOptions options = SchedulingOptions.DEFAULT.keepGoing(keepGoing).retries(retries);
    if (maxJobs != Integer.MAX_VALUE) {
      options = options.jobs(maxJobs);
    }
    return TaskScheduler.run(
        context, name(), options, TaskScheduler.Budget.UNLIMITED, new Jobs(context, slurm));
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

  /**
   * The launcher: each attempt a job, after its upstream jobs ({@code afterok}); one {@code squeue}
   * a poll; {@code scancel} to cancel, withdraw or take back; the jobs of a detached run adopted
   * before the first submission and recorded when handed over. Called on the scheduling thread
   * only.
   */
  private final class Jobs implements TaskScheduler.Launcher {
    private final ExecutionContext context;
    private final Slurm slurm;
    private final Path project;
    private final Map<TaskId, Integer> index = new HashMap<>();
    private final Map<TaskId, Job> active = new LinkedHashMap<>();
    private final Set<String> submittedHere = new HashSet<>();
    private final String runId = randomId();
    private Path dir;

    /** A line for people: to {@link #onNote}'s action and the listener, as a substrate note. */
    private void note(String line) {
      try {
        notes.accept(line);
      } catch (RuntimeException e) {
        // Like a listener's: a caller's action must not break the run.
      }
      context.listener().substrateNote(line);
    }

    Jobs(ExecutionContext context, Slurm slurm) {
      this.context = context;
      this.slurm = slurm;
      this.project = context.plan().directory();
      int i = 0;
      for (PlannedTask t : context.plan().tasks()) {
        index.put(t.task().id(), i++);
      }
    }

    @Override
    public boolean ordersDependencies() {
      return true;
    }

    @Override
    public Optional<Duration> pollInterval() {
      return Optional.of(poll);
    }

    private Path dir() {
      if (dir == null) {
        dir = JobRecords.runDirectory(project, runId);
      }
      return dir;
    }

    /**
     * Jobs an earlier detached run left queued or running for tasks this plan would run: waited for
     * (or, detached, left alone) instead of submitted twice, when their code version is the plan's;
     * cancelled when the task changed since.
     */
    @Override
    public void adopt(List<Task> tasks, TaskScheduler.Adoption adoption) {
      dir();
      Map<String, JobRecords.Record> recorded = JobRecords.read(project);
      if (recorded.isEmpty()) {
        return;
      }
      List<String> ids = new ArrayList<>();
      recorded.values().forEach(r -> ids.add(r.job()));
      Map<String, JobState> states = slurm.states(ids);
      List<String> stale = new ArrayList<>();
      int adopted = 0;
      for (Task task : tasks) {
        TaskId id = task.id();
        JobRecords.Record r = recorded.get(id.toString());
        if (r == null) {
          continue;
        }
        Job job = new Job(id, r.attempt(), r.job(), Path.of(r.result()), Path.of(r.out()));
        JobState s = states.get(r.job());
        if (s == null || !s.active()) {
          // Ended, maybe after this plan was made: a success it reported is taken, not redone; a
          // failure is submitted again.
          Optional<TaskResult> done = readResult(job);
          if (done.isPresent() && done.get().outcome().ok()) {
            adoption.ended(done.get());
          }
          continue;
        }
        if (!r.codeVersion().equals(task.codeVersion())) {
          stale.add(r.job());
          continue;
        }
        active.put(id, job);
        adoption.launched(id, r.attempt());
        adopted++;
      }
      if (!stale.isEmpty()) {
        slurm.cancel(stale);
        note("cancelled " + stale.size() + " queued job(s) of tasks changed since");
      }
      if (adopted > 0) {
        note(adopted + " task(s) already queued or running in SLURM: not submitted again");
      }
    }

    /** Submits the attempt's job, after the jobs of its upstream tasks still in the queue. */
    @Override
    public void launch(Task task, int attempt, TaskScheduler.Events events) {
      TaskId id = task.id();
      List<String> after = new ArrayList<>();
      for (TaskId dep : task.dependsOn()) {
        Job upstream = active.get(dep);
        if (upstream != null) {
          after.add(upstream.id);
        }
      }
      String stem = index.get(id) + "-" + attempt;
      Path result = dir().resolve(stem + ".result.json");
      Path out = dir().resolve(stem + ".out");
      Path script = dir().resolve(stem + ".sh");
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
        List<String> ids = ids(active.values());
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

    private String jobName() {
      return "lc-" + runId;
    }

    /** Detached: every task is in the queue; record the jobs so a later run finds them. */
    @Override
    public boolean handOver(TaskScheduler.Events events) {
      if (!detach) {
        return false;
      }
      Map<String, JobRecords.Record> records = new LinkedHashMap<>(JobRecords.read(project));
      Map<TaskId, Task> tasks = new HashMap<>();
      context.plan().tasks().forEach(t -> tasks.put(t.task().id(), t.task()));
      List<String> ids = new ArrayList<>();
      for (Job j : active.values()) {
        records.put(
            j.task.toString(),
            new JobRecords.Record(
                j.id,
                j.attempt,
                tasks.get(j.task).codeVersion(),
                j.result.toString(),
                j.out.toString()));
        if (submittedHere.contains(j.id)) {
          ids.add(j.id); // adopted jobs were announced by adopt()
        }
        events.ended(result(j, Outcome.SUBMITTED, "SLURM job " + j.id));
      }
      JobRecords.write(project, records);
      active.clear();
      if (!ids.isEmpty()) {
        note("submitted " + ids.size() + " SLURM job(s): " + String.join(" ", ids));
      }
      return true;
    }

    /** One squeue call for the run's jobs; reports the ones that started or ended. */
    @Override
    public void poll(TaskScheduler.Events events) {
      // One squeue call for the run's jobs (by name); one more only for jobs adopted from an
      // earlier detached run, which carry that run's name.
      Map<String, JobState> states = new HashMap<>(slurm.states(jobName()));
      List<String> others =
          active.values().stream().map(j -> j.id).filter(id -> !states.containsKey(id)).toList();
      if (others.stream().anyMatch(id -> !submittedHere.contains(id))) {
        states.putAll(slurm.states(others));
      }
      for (Job job : List.copyOf(active.values())) {
        JobState s = states.get(job.id);
        if (s != null && s.active()) {
          if (s.running() && !job.started) {
            job.started = true;
            events.started(job.task, job.attempt);
          }
          continue;
        }
        // SLURM's word wins over a result written while SLURM was killing the job.
        Optional<TaskResult> reported =
            s != null && killedBySlurm(s) ? Optional.empty() : readResult(job);
        if (s == null && reported.isEmpty() && ++job.misses < MISSES) {
          continue; // squeue may lag just after the job ended
        }
        job.started = true;
        events.started(job.task, job.attempt);
        active.remove(job.task);
        events.ended(reported.orElseGet(() -> lost(job, s, events)));
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
            failed(job, "SLURM job " + job.id + " left an unreadable result: " + e.getMessage()));
      }
    }

    /** A job that ended without a result: SLURM killed it, or it could not write one. */
    private TaskResult lost(Job job, JobState s, TaskScheduler.Events events) {
      if (s != null && s.state().equals("COMPLETED")) {
        cancelAll(events);
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
      return failed(job, "SLURM job " + job.id + " " + why + "; its output: " + relative(job.out));
    }

    private TaskResult failed(Job job, String detail) {
      return new TaskResult(
          job.task,
          Outcome.FAILED,
          OptionalInt.empty(),
          detail,
          Optional.of(relative(job.out)),
          Duration.ZERO,
          job.attempt,
          List.of());
    }

    private String relative(Path p) {
      return p.startsWith(project) ? project.relativize(p).toString() : p.toString();
    }

    /** After a failure without keep-going: the jobs not started are cancelled. */
    @Override
    public void withdraw(TaskScheduler.Events events) {
      List<Job> pending = active.values().stream().filter(j -> !j.started).toList();
      slurm.cancel(ids(pending));
      for (Job j : pending) {
        active.remove(j.task);
        events.withdrawn(j.task);
      }
    }

    /** The queued dependents of a failed job: cancelled, to be submitted again or skipped. */
    @Override
    public Set<TaskId> takeBack(List<TaskId> tasks) {
      List<Job> jobs = new ArrayList<>();
      for (TaskId t : tasks) {
        Job j = active.remove(t);
        if (j != null) {
          jobs.add(j);
        }
      }
      slurm.cancel(ids(jobs));
      Set<TaskId> taken = new HashSet<>();
      jobs.forEach(j -> taken.add(j.task));
      return taken;
    }

    /** Cancels every job of the run and waits (bounded) until SLURM has ended them. */
    @Override
    public void cancelAll(TaskScheduler.Events events) {
      List<String> ids = ids(active.values());
      if (slurm != null && !ids.isEmpty()) {
        slurm.cancel(ids);
        note("cancelled " + ids.size() + " SLURM job(s): " + String.join(" ", ids));
        long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
        while (System.nanoTime() < deadline
            && slurm.states(ids).values().stream().anyMatch(JobState::active)) {
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the scheduler hears it: a cancelled execution
            break;
          }
        }
      }
      for (Job j : active.values()) {
        events.ended(result(j, Outcome.CANCELLED, "cancelled (SLURM job " + j.id + ")"));
      }
      active.clear();
    }

    private TaskResult result(Job j, Outcome outcome, String detail) {
      return new TaskResult(
          j.task,
          outcome,
          OptionalInt.empty(),
          detail,
          Optional.empty(),
          Duration.ZERO,
          j.attempt,
          List.of());
    }
  }

  private static List<String> ids(Collection<Job> jobs) {
    List<String> ids = new ArrayList<>();
    jobs.forEach(j -> ids.add(j.id));
    return ids;
  }

  private static String randomId() {
    byte[] b = new byte[5];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
