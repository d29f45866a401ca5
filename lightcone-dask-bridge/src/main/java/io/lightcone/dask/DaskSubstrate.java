package io.lightcone.dask;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.TaskProtocol;
import io.lightcone.dask.internal.DaskEnvironment;
import io.lightcone.dask.internal.Sidecar;
import io.lightcone.model.Resources;
import io.lightcone.spi.Dependencies;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.Substrate;
import java.time.Duration;
import java.util.ArrayList;
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

  /**
   * Calls {@code action} with each execution's cluster once it is up, before any task is submitted
   * (e.g. to print its address and dashboard); not called when nothing is to run.
   */
  public DaskSubstrate onCluster(Consumer<DaskCluster> action) {
    return new DaskSubstrate(
        cluster, environment, jobs, keepGoing, retries, Objects.requireNonNull(action, "action"));
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
      return new Run(context, null).run();
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
      return new Run(context, null).run(); // cancelled while starting: every task CANCELLED
    }
    DaskCluster c = started.get().cluster();
    try (Sidecar s = started.get().sidecar()) {
      try {
        onCluster.accept(c);
      } catch (RuntimeException e) {
        // Like a listener's: a caller's announcement must not break the run.
      }
      return new Run(context, s).run();
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

  /** One execution's scheduling state; all of it is touched by the executing thread only. */
  private final class Run {
    private final ExecutionContext context;
    private final Sidecar sidecar;
    private final Map<TaskId, PlannedTask> planned = new LinkedHashMap<>();
    private final Map<TaskId, TaskResult> results = new HashMap<>();
    private final Map<TaskId, Integer> attempts = new HashMap<>();
    private final List<TaskId> waiting = new ArrayList<>();
    private final Map<TaskId, Attempt> running = new HashMap<>();
    private boolean stopped;
    private boolean broken;
    private String stopReason = "an earlier task failed";
    private boolean interrupted;
    private boolean withdrawn;
    private long cancelDeadline;

    Run(ExecutionContext context, Sidecar sidecar) {
      this.context = context;
      this.sidecar = sidecar;
      context.plan().tasks().forEach(t -> planned.put(t.task().id(), t));
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
          sidecar == null ? () -> {} : context.cancellation().onCancel(sidecar::wake);
      try {
        while (!waiting.isEmpty() || !running.isEmpty()) {
          if (!cancelled() && !stopped) {
            admit();
          } else {
            abandonWaiting();
          }
          if (running.isEmpty()) {
            if (!waiting.isEmpty() && !stopped && !cancelled()) {
              // Nothing runs and nothing could start: only a bug gets here; do not spin.
              for (TaskId id : waiting) {
                finish(TaskResult.of(id, Outcome.FAILED, "could not be scheduled"));
              }
              waiting.clear();
            }
            continue;
          }
          if (cancelled() && cancelDeadline == 0) {
            sidecar.cancelAll();
            cancelDeadline = System.nanoTime() + CANCEL_WAIT.toNanos();
          } else if (stopped && !broken && !withdrawn && !keepGoing) {
            // No new task may start after a failure: take back those Dask has not started.
            sidecar.withdraw();
            withdrawn = true;
          }
          handle(next());
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

    private Sidecar.Event next() {
      try {
        if (cancelDeadline != 0) {
          long left = cancelDeadline - System.nanoTime();
          if (left <= 0) {
            // The workers did not confirm in time; closing the sidecar kills what it can.
            return new Sidecar.Cancelled();
          }
          return sidecar.next(Duration.ofNanos(left));
        }
        return sidecar.next(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        // An interrupted execution is a cancelled one (Substrate contract).
        interrupted = true;
        return null;
      }
    }

    private void handle(Sidecar.Event event) {
      if (event instanceof Sidecar.Started s) {
        Attempt a = running.get(TaskId.parse(s.id()));
        if (a != null && a.number == s.attempt() && !a.started) {
          a.started = true;
          context.listener().taskStarted(TaskId.parse(s.id()), s.attempt());
        }
      } else if (event instanceof Sidecar.Done d) {
        TaskId id = TaskId.parse(d.id());
        Attempt a = running.get(id);
        if (a != null && a.number == d.attempt()) {
          running.remove(id);
          if (!a.started) {
            a.started = true;
            context.listener().taskStarted(id, a.number);
          }
          ended(result(id, d, a.number), a);
        }
      } else if (event instanceof Sidecar.Failed f) {
        TaskId id = TaskId.parse(f.id());
        Attempt a = running.get(id);
        if (a != null && a.number == f.attempt()) {
          running.remove(id);
          ended(
              new TaskResult(
                  id,
                  Outcome.FAILED,
                  OptionalInt.empty(),
                  f.message(),
                  Optional.empty(),
                  Duration.ZERO,
                  a.number,
                  List.of()),
              a);
        }
      } else if (event instanceof Sidecar.Cancelled) {
        for (Map.Entry<TaskId, Attempt> e : running.entrySet()) {
          TaskResult r =
              new TaskResult(
                  e.getKey(),
                  Outcome.CANCELLED,
                  OptionalInt.empty(),
                  "cancelled",
                  Optional.empty(),
                  Duration.ZERO,
                  e.getValue().number,
                  List.of());
          finish(r); // paired with its taskStarted when it had one
        }
        running.clear();
      } else if (event instanceof Sidecar.Withdrawn w) {
        w.tasks()
            .forEach(
                (task, attempt) -> {
                  TaskId id = TaskId.parse(task);
                  Attempt a = running.get(id);
                  if (a != null && a.number == attempt && !a.started) {
                    running.remove(id);
                    finish(TaskResult.of(id, Outcome.SKIPPED, "not started: " + stopReason));
                  }
                });
      } else if (event instanceof Sidecar.Broken b) {
        stopped = true;
        broken = true;
        stopReason = "Dask dispatch broke down";
        for (Map.Entry<TaskId, Attempt> e : running.entrySet()) {
          finish(
              new TaskResult(
                  e.getKey(),
                  cancelled() ? Outcome.CANCELLED : Outcome.FAILED,
                  OptionalInt.empty(),
                  b.message(),
                  Optional.empty(),
                  Duration.ZERO,
                  e.getValue().number,
                  List.of()));
        }
        running.clear();
      }
    }

    /** An attempt ended: the listener hears of it; the task is retried or done. */
    private void ended(TaskResult r, Attempt a) {
      if (r.outcome() == Outcome.FAILED
          && a.number <= retries
          && !cancelled()
          && !(stopped && !keepGoing)) {
        if (a.started) {
          context.listener().taskFinished(r);
        }
        waiting.add(0, r.task()); // retry next, before later work
        return;
      }
      finish(r);
      if (r.outcome() == Outcome.FAILED && !keepGoing) {
        stopped = true;
      }
    }

    private void admit() {
      for (int i = 0; i < waiting.size() && running.size() < jobs; ) {
        TaskId id = waiting.get(i);
        Task task = planned.get(id).task();
        Boolean depsOk = dependenciesOk(task);
        if (depsOk == null) {
          i++;
          continue; // a dependency is still running or waiting
        }
        waiting.remove(i);
        if (!depsOk) {
          finish(TaskResult.of(id, Outcome.SKIPPED, "skipped: " + failedDependency(task)));
          continue;
        }
        int attempt = attempts.merge(id, 1, Integer::sum);
        running.put(id, new Attempt(attempt));
        sidecar.submit(
            id.toString(),
            attempt,
            context.taskCommand(task),
            context.plan().directory(),
            resources(task));
      }
    }

    private Boolean dependenciesOk(Task task) {
      return Dependencies.ok(task, planned.keySet(), results);
    }

    private String failedDependency(Task task) {
      return Dependencies.failed(task, results).orElse("a dependency did not succeed");
    }

    private void abandonWaiting() {
      boolean cancelled = cancelled();
      for (TaskId id : waiting) {
        Task task = planned.get(id).task();
        finish(
            cancelled
                ? TaskResult.of(id, Outcome.CANCELLED, "cancelled before it started")
                : Boolean.FALSE.equals(dependenciesOk(task))
                    ? TaskResult.of(id, Outcome.SKIPPED, "skipped: " + failedDependency(task))
                    : TaskResult.of(id, Outcome.SKIPPED, "not started: " + stopReason));
      }
      waiting.clear();
    }

    private void finish(TaskResult r) {
      results.put(r.task(), r);
      context.listener().taskFinished(r);
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
