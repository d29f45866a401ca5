package io.lightcone.core;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.model.Resources;
import io.lightcone.spi.Dependencies;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.SchedulingOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduler of the substrates that leave the order to Lightcone (local, Dask, SLURM): it
 * admits a task once every task it depends on succeeded and its {@code cpus}, {@code memory} and
 * {@code gpus} fit in what is free of the {@link Budget}, with at most {@code jobs} recipes at
 * once; it retries, keeps going or stops after a failure, cancels, and tells the listener, as the
 * {@link io.lightcone.spi.Substrate} contract asks. A substrate supplies only a {@link Launcher}:
 * how one admitted attempt is launched and how its end is observed (as Nextflow's executor and task
 * handler, or Bazel's spawn runner). Nothing is global: one call, one execution.
 *
 * <p>A launcher whose engine keeps work after this process or orders tasks itself (SLURM) has four
 * more hooks, each a no-op by default: {@link Launcher#ordersDependencies} (admit a task while its
 * dependencies are launched, not yet ended; {@link Launcher#takeBack} then takes back the launched
 * dependents of a failed attempt), {@link Launcher#adopt} (attempts an earlier execution left
 * running, before the first admission) and {@link Launcher#handOver} (leave the launched attempts
 * to run after this execution returns, each {@code SUBMITTED}).
 *
 * <pre>{@code
 * return TaskScheduler.run(context, name(), options, Budget.UNLIMITED, new MyLauncher(context));
 * }</pre>
 */
public final class TaskScheduler {
  private TaskScheduler() {}

  /**
   * What the tasks of an execution may use together; a task asking for more memory or gpus than the
   * whole budget fails at once, one asking for more cpus runs alone.
   *
   * @param name names the budget in that failure: {@code local}
   */
  public record Budget(double cpus, long memory, int gpus, String name) {
    /** No limit but the number of tasks at once: the cluster behind the launcher decides. */
    public static final Budget UNLIMITED =
        new Budget(Double.POSITIVE_INFINITY, Long.MAX_VALUE, Integer.MAX_VALUE, "unlimited");
  }

  /**
   * How a substrate launches one admitted attempt of a task and observes its end. Its methods are
   * called on the scheduling thread only; it reports through {@link Events}, from any thread.
   */
  public interface Launcher {
    /**
     * Launches attempt {@code attempt} (1, 2, ...) of {@code task}, whose dependencies all
     * succeeded; must not wait for it to end. Its end is reported once, by {@code events.ended} or
     * {@code events.withdrawn}; its start (the recipe runs) by {@code events.started} when the
     * launcher knows it. A launcher may throw a {@link LightconeException} to end the whole
     * execution.
     */
    void launch(Task task, int attempt, Events events);

    /**
     * How often to {@link #poll} while tasks run; empty (the default) for a launcher whose ends
     * arrive by callback, {@code Duration.ZERO} for one whose {@link #poll} itself waits.
     */
    default Optional<Duration> pollInterval() {
      return Optional.empty();
    }

    /**
     * Observes the ends of launched tasks by polling and reports them: one call for all of them
     * (SLURM: one {@code squeue}). Called when the scheduler has nothing else to do.
     */
    default void poll(Events events) throws InterruptedException {}

    /**
     * The execution is cancelled: end every launched attempt and its process tree. Each is still
     * reported, {@code CANCELLED}, by {@code events.ended}. Called once. The default does nothing,
     * for a launcher whose tasks hear the execution's cancellation themselves.
     */
    default void cancelAll(Events events) {}

    /**
     * A task failed without keep-going, so nothing new may start: take back the launched attempts
     * whose recipe has not started, each reported by {@code events.withdrawn}. Called once. The
     * default takes nothing back (every launched task starts at once).
     */
    default void withdraw(Events events) {}

    /**
     * True for a launcher that orders the tasks it launched itself (SLURM's {@code
     * --dependency=afterok}): a task is then admitted once each of its dependencies succeeded or is
     * launched and not yet ended, and {@link #launch} must start it only after they succeed. The
     * default, false, admits a task once they all succeeded.
     */
    default boolean ordersDependencies() {
      return false;
    }

    /**
     * With {@link #ordersDependencies}: an attempt of a task ended not ok (failed, to be retried or
     * final; not when the execution is cancelled), so its launched dependents (given in plan order)
     * cannot run after it: end them (they have not started), without reporting them through {@link
     * Events}. Returns those it ended; one it already reported ended is left out and settled by
     * that report. The scheduler submits the ended ones again after the task's retry, or, when the
     * task is not retried, reports them skipped. The default ends none.
     */
    default Set<TaskId> takeBack(List<TaskId> tasks) {
      return Set.of();
    }

    /**
     * Before the first admission: tells {@code adoption} which of {@code tasks} (to be run, in plan
     * order) an earlier execution already launched (SLURM: the jobs of a detached run), so that
     * they are not launched twice. An adopted attempt still running is then waited for as if this
     * execution launched it; one that ended well is final. The default adopts nothing.
     */
    default void adopt(List<Task> tasks, Adoption adoption) {}

    /**
     * Called once nothing waits to be launched: a launcher whose attempts run on without this
     * process (SLURM {@code --detach}) reports each launched attempt ended, outcome {@code
     * SUBMITTED}, and returns true; the execution then returns without waiting. The default, false,
     * waits for the ends.
     */
    default boolean handOver(Events events) {
      return false;
    }
  }

  /** What {@link Launcher#adopt} reports, on the scheduling thread. */
  public interface Adoption {
    /** Attempt {@code attempt} of {@code task} is launched and its end will be reported. */
    void launched(TaskId task, int attempt);

    /** {@code task} already ended well ({@code result}): it is not launched. */
    void ended(TaskResult result);
  }

  /** What a {@link Launcher} reports; thread-safe, never blocks. */
  public interface Events {
    /** The attempt's recipe started; told to the listener at once, later calls ignored. */
    void started(TaskId task, int attempt);

    /** The attempt's recipe ended well: its resources are free while it publishes. */
    void released(TaskId task);

    /** The attempt ended: retried, or its result is final. */
    void ended(TaskResult result);

    /** The attempt was taken back before its recipe started ({@link Launcher#withdraw}). */
    void withdrawn(TaskId task);

    /**
     * The launcher can launch nothing more ({@code reason}): no new task and no retry starts; the
     * launcher still reports the end of every launched attempt.
     */
    void broken(String reason);
  }

  /** Runs {@code context}'s plan with {@code launcher}; the report is named {@code substrate}. */
  public static ExecutionReport run(
      ExecutionContext context,
      String substrate,
      SchedulingOptions options,
      Budget budget,
      Launcher launcher) {
    return new Run(context, substrate, options, budget, launcher).run();
  }

  private record Released(TaskId task) {}

  private record Ended(TaskResult result) {}

  private record Withdrawn(TaskId task) {}

  private record Broken(String reason) {}

  /** One execution's scheduling state; all but the queue and the starts is the scheduler's. */
  private static final class Run implements Events {
    private static final Object WAKE = new Object();

    private final ExecutionContext context;
    private final String substrate;
    private final Budget budget;
    private final Launcher launcher;
    private final int jobs;
    private final boolean keepGoing;
    private final int retries;
    private final Map<TaskId, PlannedTask> planned = new LinkedHashMap<>();
    private final Map<TaskId, TaskResult> results = new HashMap<>();
    private final Map<TaskId, Integer> attempts = new HashMap<>();
    private final List<TaskId> waiting = new ArrayList<>();
    // What the launcher reported, in the order it came, and wake-ups.
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    // Attempts launched and not ended, with what they hold; those in `released` ended their recipe
    // and gave back their cpus, memory and gpus while they publish.
    private final Map<TaskId, double[]> running = new HashMap<>();
    private final Set<TaskId> released = new HashSet<>();
    // The attempt of each task whose start the listener heard.
    private final Map<TaskId, Integer> started = new ConcurrentHashMap<>();
    private double freeCpus;
    private long freeMemory;
    private int freeGpus;
    private boolean stopped;
    private boolean broken;
    private String stopReason = "an earlier task failed";
    private boolean interrupted;
    private boolean cancelSent;
    private boolean withdrawSent;
    private boolean handedOver;

    Run(
        ExecutionContext context,
        String substrate,
        SchedulingOptions options,
        Budget budget,
        Launcher launcher) {
      this.context = context;
      this.substrate = substrate;
      this.budget = budget;
      this.launcher = launcher;
      this.jobs = options.jobs().orElse(Integer.MAX_VALUE);
      this.keepGoing = options.keepGoing();
      this.retries = options.retries();
      this.freeCpus = budget.cpus();
      this.freeMemory = budget.memory();
      this.freeGpus = budget.gpus();
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
      Runnable unregister = context.cancellation().onCancel(() -> events.offer(WAKE));
      try {
        if (!waiting.isEmpty() && !cancelled()) {
          adopt();
        }
        while (!waiting.isEmpty() || !running.isEmpty()) {
          if (!cancelled() && !stopped) {
            admit();
          } else {
            abandonWaiting();
          }
          if (waiting.isEmpty() && !running.isEmpty() && !handedOver && !cancelled() && !stopped) {
            handedOver = launcher.handOver(this);
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
          if (cancelled() && !cancelSent) {
            cancelSent = true;
            launcher.cancelAll(this);
          } else if (stopped && !keepGoing && !broken && !withdrawSent) {
            withdrawSent = true;
            launcher.withdraw(this);
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
      return new ExecutionReport(substrate, ordered, Duration.ZERO);
    }

    private boolean cancelled() {
      return interrupted || context.cancellation().isCancelled();
    }

    /** The next report of the launcher, or null after a wake-up or a poll that found nothing. */
    private Object next() {
      try {
        Object e = events.poll();
        if (e != null) {
          return e;
        }
        Optional<Duration> every = launcher.pollInterval();
        if (every.isEmpty()) {
          return events.take();
        }
        if (!every.get().isZero()) {
          e = events.poll(every.get().toMillis(), TimeUnit.MILLISECONDS);
          if (e != null || cancelled()) {
            return e;
          }
        }
        launcher.poll(this);
        return events.poll();
      } catch (InterruptedException e) {
        // An interrupted execution is a cancelled one (Substrate contract).
        interrupted = true;
        return null;
      }
    }

    private void handle(Object event) {
      if (event instanceof Released r) {
        double[] held = running.get(r.task());
        if (held != null && released.add(r.task())) {
          giveBack(held);
        }
      } else if (event instanceof Ended e) {
        TaskId id = e.result().task();
        if (release(id)) {
          attemptEnded(e.result());
        }
      } else if (event instanceof Withdrawn w) {
        started.remove(w.task());
        if (release(w.task())) {
          finish(TaskResult.of(w.task(), Outcome.SKIPPED, "not started: " + stopReason));
        }
      } else if (event instanceof Broken b) {
        stopped = true;
        broken = true;
        stopReason = b.reason();
      }
    }

    /** The attempt of {@code id} is over: its resources are free. False if none was running. */
    private boolean release(TaskId id) {
      double[] held = running.remove(id);
      if (held == null) {
        return false;
      }
      if (!released.remove(id)) {
        giveBack(held);
      }
      return true;
    }

    /** An attempt ended: the task is retried or done. */
    private void attemptEnded(TaskResult r) {
      Integer heard = started.remove(r.task());
      if (r.outcome() == Outcome.FAILED
          && attempts.getOrDefault(r.task(), 0) <= retries
          && !cancelled()
          && !broken
          && !(stopped && !keepGoing)) {
        if (heard != null) {
          context.listener().taskFinished(r);
        }
        List<TaskId> dependents = takeBackDependents(r.task());
        waiting.add(0, r.task()); // retry next, before later work
        waiting.addAll(1, dependents); // and launched again after it
        return;
      }
      if (!r.outcome().ok() && r.outcome() != Outcome.SUBMITTED && !cancelled()) {
        for (TaskId id : takeBackDependents(r.task())) {
          finish(
              TaskResult.of(
                  id, Outcome.SKIPPED, "skipped: " + r.task() + " " + r.outcome().word()));
        }
      }
      finish(r);
      if (r.outcome() == Outcome.FAILED && !keepGoing) {
        stopped = true;
      }
    }

    /**
     * With a launcher that orders dependencies: the launched dependents of {@code failed}
     * (transitively, in plan order) it took back, no longer running, their attempt not counted.
     */
    private List<TaskId> takeBackDependents(TaskId failed) {
      if (!launcher.ordersDependencies()) {
        return List.of();
      }
      Set<TaskId> down = new HashSet<>(Set.of(failed));
      List<TaskId> launched = new ArrayList<>();
      for (TaskId id : planned.keySet()) { // plan order: upstream before downstream
        if (running.containsKey(id)
            && planned.get(id).task().dependsOn().stream().anyMatch(down::contains)) {
          down.add(id);
          launched.add(id);
        }
      }
      if (launched.isEmpty()) {
        return List.of();
      }
      Set<TaskId> taken = launcher.takeBack(List.copyOf(launched));
      launched.retainAll(taken);
      for (TaskId id : launched) {
        started.remove(id);
        release(id);
        attempts.merge(id, -1, Integer::sum);
      }
      return launched;
    }

    /** Attempts an earlier execution launched ({@link Launcher#adopt}). */
    private void adopt() {
      List<Task> toRun = new ArrayList<>();
      waiting.forEach(id -> toRun.add(planned.get(id).task()));
      launcher.adopt(
          toRun,
          new Adoption() {
            @Override
            public void launched(TaskId task, int attempt) {
              if (waiting.remove(task)) {
                hold(task, demand(planned.get(task).task()));
                attempts.put(task, attempt);
              }
            }

            @Override
            public void ended(TaskResult result) {
              if (waiting.remove(result.task())) {
                finish(result);
              }
            }
          });
    }

    private void admit() {
      // At most `jobs` recipes at once, and as many tasks again finishing (hash, manifest,
      // publish) after theirs ended.
      for (int i = 0;
          i < waiting.size()
              && running.size() - released.size() < jobs
              && running.size() < 2L * jobs
              && !stopped; ) {
        TaskId id = waiting.get(i);
        Task task = planned.get(id).task();
        Boolean depsOk = Dependencies.ok(task, planned.keySet(), results);
        if (depsOk == null && launcher.ordersDependencies() && launchedOrOk(task)) {
          depsOk = true; // the launcher starts it after its launched dependencies
        }
        if (depsOk == null) {
          i++;
          continue; // a dependency is still running or waiting
        }
        if (!depsOk) {
          waiting.remove(i);
          finish(TaskResult.of(id, Outcome.SKIPPED, "skipped: " + failedDependency(task)));
          continue;
        }
        double[] need = demand(task);
        if (need[1] > budget.memory() || need[2] > budget.gpus()) {
          waiting.remove(i);
          finish(TaskResult.of(id, Outcome.FAILED, tooBig(need)));
          continue;
        }
        if (need[0] > freeCpus + 1e-9 || need[1] > freeMemory || need[2] > freeGpus) {
          i++;
          continue;
        }
        waiting.remove(i);
        hold(id, need);
        launcher.launch(task, attempts.merge(id, 1, Integer::sum), this);
      }
    }

    /** Each dependency of {@code task} in the plan succeeded or is launched. */
    private boolean launchedOrOk(Task task) {
      for (TaskId dep : task.dependsOn()) {
        if (planned.containsKey(dep) && !results.containsKey(dep) && !running.containsKey(dep)) {
          return false;
        }
      }
      return true;
    }

    /** {@code id} runs, holding {@code need} of the budget until {@link #giveBack}. */
    private void hold(TaskId id, double[] need) {
      freeCpus -= need[0];
      freeMemory -= (long) need[1];
      freeGpus -= (int) need[2];
      running.put(id, need);
    }

    private void giveBack(double[] held) {
      freeCpus += held[0];
      freeMemory += (long) held[1];
      freeGpus += (int) held[2];
    }

    private String failedDependency(Task task) {
      return Dependencies.failed(task, results).orElse("a dependency did not succeed");
    }

    /** cpus (clamped to the budget, so a big task still runs alone), memory bytes, gpus. */
    private double[] demand(Task task) {
      Resources r = task.resources().orElse(Resources.builder().build());
      double c = r.cpus().orElse(1.0);
      return new double[] {
        Math.min(c, budget.cpus()), r.memoryBytes().orElse(0L), r.gpus().orElse(0)
      };
    }

    private String tooBig(double[] need) {
      return need[2] > budget.gpus()
          ? "needs "
              + (int) need[2]
              + " gpu(s), the "
              + budget.name()
              + " budget has "
              + budget.gpus()
              + "; run it where gpus are, or raise the budget (--gpus)"
          : "needs "
              + (long) need[1] / (1 << 20)
              + " MiB of memory, the "
              + budget.name()
              + " budget is "
              + budget.memory() / (1 << 20)
              + " MiB; lower resources.memory or raise the budget (--memory)";
    }

    private void abandonWaiting() {
      boolean cancelled = cancelled();
      for (TaskId id : waiting) {
        Task task = planned.get(id).task();
        finish(
            cancelled
                ? TaskResult.of(id, Outcome.CANCELLED, "cancelled before it started")
                : Boolean.FALSE.equals(Dependencies.ok(task, planned.keySet(), results))
                    ? TaskResult.of(id, Outcome.SKIPPED, "skipped: " + failedDependency(task))
                    : TaskResult.of(id, Outcome.SKIPPED, "not started: " + stopReason));
      }
      waiting.clear();
    }

    private void finish(TaskResult r) {
      results.put(r.task(), r);
      context.listener().taskFinished(r);
    }

    // Events: called by the launcher, from any thread.

    @Override
    public void started(TaskId task, int attempt) {
      Integer before = started.put(task, attempt);
      if (before == null || before != attempt) {
        context.listener().taskStarted(task, attempt);
      }
    }

    @Override
    public void released(TaskId task) {
      events.offer(new Released(task));
    }

    @Override
    public void ended(TaskResult result) {
      events.offer(new Ended(result));
    }

    @Override
    public void withdrawn(TaskId task) {
      events.offer(new Withdrawn(task));
    }

    @Override
    public void broken(String reason) {
      events.offer(new Broken(reason));
    }
  }
}
