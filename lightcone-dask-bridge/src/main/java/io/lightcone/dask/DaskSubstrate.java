package io.lightcone.dask;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.TaskProtocol;
import io.lightcone.core.TaskScheduler;
import io.lightcone.dask.internal.DaskEnvironment;
import io.lightcone.dask.internal.Sidecar;
import io.lightcone.model.Resources;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.SchedulingOptions;
import io.lightcone.spi.Substrate;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Runs tasks on a Dask cluster. The plan stays in Java: each task whose dependencies succeeded goes
 * to one long-lived Python sidecar, the run's only Dask client, which submits the task's plumbing
 * command ({@code lc task run ...}) with the task's {@code cpus}, {@code memory} and {@code gpus}
 * as Dask resources, so the scheduler packs tasks into workers. A task no worker can hold fails at
 * once. Cancellation kills every running task's process tree on its worker before {@code execute}
 * returns. Without a cluster, each execution gets its own {@link DaskCluster#forRun()} and stops it
 * when it ends.
 *
 * <pre>{@code
 * plan.execute(DaskSubstrate.create().keepGoing(true));      // a cluster for this run
 * plan.execute(DaskSubstrate.on(cluster));                    // a cluster you manage
 * }</pre>
 */
public final class DaskSubstrate implements Substrate {
  /** How long a cancelled run waits for the workers to confirm its processes are gone. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

  private final DaskCluster cluster;
  private final DaskEnvironment environment;
  private final int jobs;
  private final boolean keepGoing;
  private final int retries;
  private final Consumer<DaskCluster> onCluster;

  /**
   * A substrate that starts a cluster per execution; the constructor {@link
   * java.util.ServiceLoader} needs. Prefer {@link #create()}.
   */
  public DaskSubstrate() {
    this(null, DaskEnvironment.system(), Integer.MAX_VALUE, false, 0, c -> {});
  }

  private DaskSubstrate(
      DaskCluster cluster,
      DaskEnvironment environment,
      int jobs,
      boolean keepGoing,
      int retries,
      Consumer<DaskCluster> onCluster) {
    this.cluster = cluster;
    this.environment = environment;
    this.jobs = jobs;
    this.keepGoing = keepGoing;
    this.retries = retries;
    this.onCluster = onCluster;
  }

  /** A substrate that runs each execution on its own {@link DaskCluster#forRun()}. */
  public static DaskSubstrate create() {
    return new DaskSubstrate();
  }

  /** A substrate that runs on {@code cluster}, which the caller closes. */
  public static DaskSubstrate on(DaskCluster cluster) {
    return new DaskSubstrate(cluster, cluster.environment(), Integer.MAX_VALUE, false, 0, c -> {});
  }

  static DaskSubstrate create(DaskEnvironment environment) {
    return new DaskSubstrate(null, environment, Integer.MAX_VALUE, false, 0, c -> {});
  }

  /**
   * At most this many tasks on the cluster at once ({@code -j}); by default every ready task is
   * submitted and the cluster's resources decide.
   */
  public DaskSubstrate jobs(int jobs) {
    if (jobs < 1) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, "jobs must be >= 1");
    }
    return new DaskSubstrate(cluster, environment, jobs, keepGoing, retries, onCluster);
  }

  /** After a failure, go on with every task that does not depend on it. */
  public DaskSubstrate keepGoing(boolean keepGoing) {
    return new DaskSubstrate(cluster, environment, jobs, keepGoing, retries, onCluster);
  }

  /** Run a failed task again up to {@code retries} more times. */
  public DaskSubstrate retries(int retries) {
    if (retries < 0) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, "retries must be >= 0");
    }
    return new DaskSubstrate(cluster, environment, jobs, keepGoing, retries, onCluster);
  }

  @Override
  public DaskSubstrate with(SchedulingOptions options) {
    return new DaskSubstrate(
        cluster,
        environment,
        options.jobs().orElse(jobs),
        options.keepGoing(),
        options.retries(),
        onCluster);
  }

  /**
   * Calls {@code action} with each execution's cluster once it is up, before any task is submitted
   * (e.g. to print its address and dashboard); not called when nothing is to run.
   */
  public DaskSubstrate onCluster(Consumer<DaskCluster> action) {
    return new DaskSubstrate(
        cluster, environment, jobs, keepGoing, retries, Objects.requireNonNull(action, "action"));
  }

  @Override
  public boolean runsOnThisMachine() {
    return cluster == null || cluster.kind() == DaskCluster.Kind.LOCAL;
  }

  @Override
  public String name() {
    return "dask";
  }

  @Override
  public String toString() {
    return "DaskSubstrate["
        + (cluster == null ? "a cluster per run" : cluster.toString())
        + (jobs == Integer.MAX_VALUE ? "" : ", jobs=" + jobs)
        + ", keepGoing="
        + keepGoing
        + ", retries="
        + retries
        + "]";
  }

  @Override
  public ExecutionReport execute(ExecutionContext context) {
    if (context.plan().toRun().isEmpty() || context.cancellation().isCancelled()) {
      // Nothing to run: no cluster to start.
      return schedule(context, null);
    }
    Optional<Started> started =
        Startup.interruptible(
            context.cancellation(),
            () -> {
              DaskCluster c =
                  cluster == null
                      ? DaskCluster.forRun(environment, Optional.of(context.plan().directory()))
                      : cluster;
              try {
                return new Started(
                    c, Sidecar.start(environment, c.privateRoot(), c.address(), c.tls()));
              } catch (RuntimeException e) {
                if (cluster == null) {
                  c.close();
                }
                throw e;
              }
            });
    if (started.isEmpty()) {
      return schedule(context, null); // cancelled while starting: every task CANCELLED
    }
    DaskCluster c = started.get().cluster();
    try (Sidecar s = started.get().sidecar()) {
      try {
        onCluster.accept(c);
      } catch (RuntimeException e) {
        // Like a listener's: a caller's announcement must not break the run.
      }
      context.listener().substrateNote(c.toString());
      return schedule(context, s);
    } finally {
      if (cluster == null) {
        c.close();
      }
    }
  }

  /** A cluster with its sidecar, both up. */
  private record Started(DaskCluster cluster, Sidecar sidecar) {}

  /** One attempt of a task on Dask. */
  private static final class Attempt {
    final int number;
    boolean started;

    Attempt(int number) {
      this.number = number;
    }
  }

  /** Runs the plan through the scheduler in core; nothing is launched without a sidecar. */
  private ExecutionReport schedule(ExecutionContext context, Sidecar sidecar) {
    Runnable unregister =
        sidecar == null ? () -> {} : context.cancellation().onCancel(sidecar::wake);
    try {
      return TaskScheduler.run(
          context,
          name(),
          new SchedulingOptions(
              jobs == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(jobs),
              keepGoing,
              retries),
          TaskScheduler.Budget.UNLIMITED,
          new OnDask(context, sidecar));
    } finally {
      unregister.run();
    }
  }

  /**
   * Launches each admitted task as its plumbing command on Dask, through the sidecar, and reads the
   * sidecar's events; Dask packs the tasks into workers by their resources.
   */
  private static final class OnDask implements TaskScheduler.Launcher {
    private final ExecutionContext context;
    private final Sidecar sidecar;
    private final Map<TaskId, Attempt> running = new HashMap<>();
    private long cancelDeadline;

    OnDask(ExecutionContext context, Sidecar sidecar) {
      this.context = context;
      this.sidecar = sidecar;
    }

    @Override
    public void launch(Task task, int attempt, TaskScheduler.Events events) {
      TaskId id = task.id();
      running.put(id, new Attempt(attempt));
      sidecar.submit(
          id.toString(),
          attempt,
          context.taskCommand(task),
          context.plan().directory(),
          resources(task));
    }

    @Override
    public Optional<Duration> pollInterval() {
      return Optional.of(Duration.ZERO); // poll() waits on the sidecar itself
    }

    @Override
    public void cancelAll(TaskScheduler.Events events) {
      sidecar.cancelAll();
      cancelDeadline = System.nanoTime() + CANCEL_WAIT.toNanos();
    }

    @Override
    public void withdraw(TaskScheduler.Events events) {
      // No new task may start after a failure: take back those Dask has not started.
      sidecar.withdraw();
    }

    @Override
    public void poll(TaskScheduler.Events events) throws InterruptedException {
      handle(next(), events);
    }

    private Sidecar.Event next() throws InterruptedException {
      if (cancelDeadline != 0) {
        long left = cancelDeadline - System.nanoTime();
        if (left <= 0) {
          // The workers did not confirm in time; closing the sidecar kills what it can.
          return new Sidecar.Cancelled();
        }
        return sidecar.next(Duration.ofNanos(left));
      }
      return sidecar.next(Duration.ofSeconds(5));
    }

    private void handle(Sidecar.Event event, TaskScheduler.Events events) {
      if (event instanceof Sidecar.Started s) {
        Attempt a = running.get(TaskId.parse(s.id()));
        if (a != null && a.number == s.attempt() && !a.started) {
          a.started = true;
          events.started(TaskId.parse(s.id()), s.attempt());
        }
      } else if (event instanceof Sidecar.Done d) {
        TaskId id = TaskId.parse(d.id());
        Attempt a = running.get(id);
        if (a != null && a.number == d.attempt()) {
          running.remove(id);
          if (!a.started) {
            a.started = true;
            events.started(id, a.number);
          }
          events.ended(result(id, d, a.number));
        }
      } else if (event instanceof Sidecar.Failed f) {
        TaskId id = TaskId.parse(f.id());
        Attempt a = running.get(id);
        if (a != null && a.number == f.attempt()) {
          running.remove(id);
          events.ended(ended(id, Outcome.FAILED, f.message(), a.number));
        }
      } else if (event instanceof Sidecar.Cancelled) {
        // Each paired with its taskStarted when it had one.
        running.forEach(
            (id, a) -> events.ended(ended(id, Outcome.CANCELLED, "cancelled", a.number)));
        running.clear();
      } else if (event instanceof Sidecar.Withdrawn w) {
        w.tasks()
            .forEach(
                (task, attempt) -> {
                  TaskId id = TaskId.parse(task);
                  Attempt a = running.get(id);
                  if (a != null && a.number == attempt && !a.started) {
                    running.remove(id);
                    events.withdrawn(id);
                  }
                });
      } else if (event instanceof Sidecar.Broken b) {
        events.broken("Dask dispatch broke down");
        Outcome outcome =
            cancelDeadline != 0 || context.cancellation().isCancelled()
                ? Outcome.CANCELLED
                : Outcome.FAILED;
        running.forEach((id, a) -> events.ended(ended(id, outcome, b.message(), a.number)));
        running.clear();
      }
    }

    private static TaskResult ended(TaskId id, Outcome outcome, String detail, int attempt) {
      return new TaskResult(
          id,
          outcome,
          OptionalInt.empty(),
          detail,
          Optional.empty(),
          Duration.ZERO,
          attempt,
          List.of());
    }
  }

  /** The Dask resources a task asks for; keys it does not declare are left out. */
  static Map<String, Number> resources(Task task) {
    return resources(task.resources());
  }

  /** The Dask resources of a recipe's {@code resources}; keys it does not declare are left out. */
  static Map<String, Number> resources(Optional<Resources> resources) {
    Map<String, Number> out = new LinkedHashMap<>();
    resources.ifPresent(
        (Resources r) -> {
          r.cpus().ifPresent(c -> out.put("cpus", c));
          r.memoryBytes().ifPresent(m -> out.put("memory", m));
          r.gpus().ifPresent(g -> out.put("gpus", g));
        });
    return out;
  }

  /**
   * How a task's command ended, as a result: the task runner's answer ({@link TaskProtocol}) when
   * it ran in a worker's runner; else, for any other command, its exit code (0 succeeded) with the
   * tail of its output.
   */
  static TaskResult result(TaskId id, Sidecar.Done done, int attempt) {
    if (!done.result().isEmpty()) {
      TaskResult r;
      try {
        r = TaskProtocol.decode(done.result());
      } catch (LightconeException e) {
        return failed(id, attempt, e.getMessage() + " (on Dask worker " + done.worker() + ")");
      }
      if (!r.task().equals(id)) {
        return failed(
            id,
            attempt,
            "the task runner on Dask worker "
                + done.worker()
                + " answered for "
                + r.task()
                + " instead");
      }
      return new TaskResult(
          id, r.outcome(), r.exitCode(), r.detail(), r.log(), r.duration(), attempt, r.warnings());
    }
    Duration took = Duration.ofMillis(Math.round(done.seconds() * 1000));
    if (done.exit() == 0) {
      return new TaskResult(
          id, Outcome.SUCCEEDED, OptionalInt.of(0), "", Optional.empty(), took, attempt, List.of());
    }
    String last = "";
    for (String line : done.output().split("\n")) {
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    return new TaskResult(
        id,
        Outcome.FAILED,
        OptionalInt.empty(),
        "the task command exited with "
            + done.exit()
            + (last.isEmpty() ? "" : ": " + last)
            + " (on Dask worker "
            + done.worker()
            + ")",
        Optional.empty(),
        took,
        attempt,
        List.of());
  }

  private static TaskResult failed(TaskId id, int attempt, String detail) {
    return new TaskResult(
        id,
        Outcome.FAILED,
        OptionalInt.empty(),
        detail,
        Optional.empty(),
        Duration.ZERO,
        attempt,
        List.of());
  }
}
