package io.lightcone.core;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.internal.run.LocalTaskRunner;
import io.lightcone.model.Resources;
import io.lightcone.spi.Dependencies;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.Substrate;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on this machine with a pool of threads, the reference substrate. A task starts when
 * everything it depends on succeeded and its {@code cpus}, {@code memory} and {@code gpus} fit in
 * what is free of the budget (the machine's, unless configured); its {@code time_limit} is
 * enforced. Configure with the copy-on-write setters:
 *
 * <pre>{@code
 * plan.execute(LocalSubstrate.create().jobs(4).keepGoing(true).retries(1));
 * }</pre>
 */
public final class LocalSubstrate implements Substrate {
  private final double cpus;
  private final long memory;
  private final int gpus;
  private final int jobs;
  private final boolean keepGoing;
  private final int retries;

  private LocalSubstrate(
      double cpus, long memory, int gpus, int jobs, boolean keepGoing, int retries) {
    this.cpus = cpus;
    this.memory = memory;
    this.gpus = gpus;
    this.jobs = jobs;
    this.keepGoing = keepGoing;
    this.retries = retries;
  }

  /** A substrate with this machine's cpus and memory, no gpus, one task per cpu. */
  public static LocalSubstrate create() {
    int processors = Runtime.getRuntime().availableProcessors();
    long physical = physicalMemory();
    return new LocalSubstrate(processors, physical, 0, processors, false, 0);
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Long.MAX_VALUE;
  }

  /** The cpus tasks may use together. */
  public LocalSubstrate cpus(double cpus) {
    require(cpus > 0, "cpus must be > 0");
    return new LocalSubstrate(cpus, memory, gpus, jobs, keepGoing, retries);
  }

  /** The memory tasks may use together, e.g. {@code "8Gi"}. */
  public LocalSubstrate memory(String memory) {
    long bytes =
        Resources.parseBytes(memory)
            .orElseThrow(
                () ->
                    new LightconeException(
                        LightconeException.Kind.USER_INPUT,
                        "memory '" + memory + "': write a size like 8Gi or 16GB"));
    return new LocalSubstrate(cpus, bytes, gpus, jobs, keepGoing, retries);
  }

  /** The gpus tasks may use together. */
  public LocalSubstrate gpus(int gpus) {
    require(gpus >= 0, "gpus must be >= 0");
    return new LocalSubstrate(cpus, memory, gpus, jobs, keepGoing, retries);
  }

  /** At most this many tasks at once ({@code -j}). */
  public LocalSubstrate jobs(int jobs) {
    require(jobs >= 1, "jobs must be >= 1");
    return new LocalSubstrate(cpus, memory, gpus, jobs, keepGoing, retries);
  }

  /** After a failure, go on with every task that does not depend on it. */
  public LocalSubstrate keepGoing(boolean keepGoing) {
    return new LocalSubstrate(cpus, memory, gpus, jobs, keepGoing, retries);
  }

  /** Run a failed task again up to {@code retries} more times. */
  public LocalSubstrate retries(int retries) {
    require(retries >= 0, "retries must be >= 0");
    return new LocalSubstrate(cpus, memory, gpus, jobs, keepGoing, retries);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, message);
    }
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "LocalSubstrate[cpus=%s, memory=%d MiB, gpus=%d, jobs=%d, keepGoing=%s, retries=%d]",
        cpus,
        memory >> 20,
        gpus,
        jobs,
        keepGoing,
        retries);
  }

  @Override
  public ExecutionReport execute(ExecutionContext context) {
    return new Scheduler(context).run();
  }

  /** A task's recipe ended: its resources are free again, though the task still publishes. */
  private record Released(TaskId task) {}

  /** One execution's scheduling state; all of it is touched by the scheduling thread only. */
  private final class Scheduler {
    private final ExecutionContext context;
    private final Map<TaskId, PlannedTask> planned = new LinkedHashMap<>();
    private final Map<TaskId, TaskResult> results = new HashMap<>();
    private final Map<TaskId, Integer> attempts = new HashMap<>();
    private final List<TaskId> waiting = new ArrayList<>();
    // Results, wake-ups (a result without a task) and Released notes, in the order they came.
    private final LinkedBlockingQueue<Object> finished = new LinkedBlockingQueue<>();
    // Tasks started and not finished; those in `released` have ended their recipe and give back
    // their cpus, memory and gpus while they hash and publish.
    private final Map<TaskId, double[]> running = new HashMap<>();
    private final Set<TaskId> released = new HashSet<>();
    private double freeCpus = cpus;
    private long freeMemory = memory;
    private int freeGpus = gpus;
    private boolean stopped;

    Scheduler(ExecutionContext context) {
      this.context = context;
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
      Runnable wake = () -> finished.offer(TaskResult.of(null, Outcome.CANCELLED, "wake"));
      Runnable unregister = context.cancellation().onCancel(wake);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              2 * jobs,
              r -> {
                Thread th = new Thread(r, "lightcone-local");
                th.setDaemon(true);
                return th;
              });
      try {
        while (!waiting.isEmpty() || !running.isEmpty()) {
          if (!context.cancellation().isCancelled() && !stopped) {
            admit(pool);
          } else {
            abandonWaiting();
          }
          if (running.isEmpty()) {
            if (!waiting.isEmpty() && !stopped && !context.cancellation().isCancelled()) {
              // Nothing runs and nothing could start: only a bug gets here; do not spin.
              for (TaskId id : waiting) {
                finish(TaskResult.of(id, Outcome.FAILED, "could not be scheduled"));
              }
              waiting.clear();
            }
            continue;
          }
          Object m = take();
          if (m instanceof Released rel) {
            double[] held = running.get(rel.task());
            if (held != null && released.add(rel.task())) {
              giveBack(held);
            }
            continue;
          }
          TaskResult r = (TaskResult) m;
          if (r.task() == null) {
            continue; // a wake-up from cancellation
          }
          double[] held = running.remove(r.task());
          if (!released.remove(r.task())) {
            giveBack(held);
          }
          completed(r);
        }
      } finally {
        unregister.run();
        pool.shutdownNow();
      }
      List<TaskResult> ordered = new ArrayList<>();
      for (TaskId id : planned.keySet()) {
        ordered.add(results.get(id));
      }
      return new ExecutionReport(name(), ordered, Duration.ZERO);
    }

    private void giveBack(double[] held) {
      freeCpus += held[0];
      freeMemory += (long) held[1];
      freeGpus += (int) held[2];
    }

    private Object take() {
      try {
        return finished.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        // An interrupted scheduler is a cancelled execution (Substrate contract).
        stopped = true;
        try {
          return finished.poll(1, TimeUnit.DAYS);
        } catch (InterruptedException again) {
          throw new LightconeException(LightconeException.Kind.INTERRUPTED, "interrupted", again);
        }
      }
    }

    private void admit(ExecutorService pool) {
      // At most `jobs` recipes at once, and as many tasks again finishing (hash, manifest,
      // publish) after theirs ended.
      for (int i = 0;
          i < waiting.size()
              && running.size() - released.size() < jobs
              && running.size() < 2 * jobs; ) {
        TaskId id = waiting.get(i);
        Task task = planned.get(id).task();
        Boolean depsOk = dependenciesOk(task);
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
        if (need[1] > memory || need[2] > gpus) {
          waiting.remove(i);
          finish(TaskResult.of(id, Outcome.FAILED, tooBig(task, need)));
          continue;
        }
        if (need[0] > freeCpus + 1e-9 || need[1] > freeMemory || need[2] > freeGpus) {
          i++;
          continue;
        }
        waiting.remove(i);
        freeCpus -= need[0];
        freeMemory -= (long) need[1];
        freeGpus -= (int) need[2];
        running.put(id, need);
        int attempt = attempts.merge(id, 1, Integer::sum);
        pool.execute(
            () -> {
              TaskResult r;
              try {
                r =
                    context.runner() instanceof LocalTaskRunner local
                        ? local.run(
                            task,
                            attempt,
                            context.cancellation(),
                            context.listener(),
                            () -> finished.offer(new Released(id)))
                        : context
                            .runner()
                            .run(task, attempt, context.cancellation(), context.listener());
              } catch (RuntimeException e) {
                r = TaskResult.of(id, Outcome.FAILED, "the task runner failed: " + e);
              }
              finished.offer(r);
            });
      }
    }

    private Boolean dependenciesOk(Task task) {
      return Dependencies.ok(task, planned.keySet(), results);
    }

    private String failedDependency(Task task) {
      return Dependencies.failed(task, results).orElse("a dependency did not succeed");
    }

    /** cpus (clamped to the budget, so a big task still runs alone), memory bytes, gpus. */
    private double[] demand(Task task) {
      Resources r = task.resources().orElse(Resources.builder().build());
      double c = r.cpus().orElse(1.0);
      return new double[] {Math.min(c, cpus), r.memoryBytes().orElse(0L), r.gpus().orElse(0)};
    }

    private String tooBig(Task task, double[] need) {
      return need[2] > gpus
          ? "needs "
              + (int) need[2]
              + " gpu(s), the local budget has "
              + gpus
              + "; run it where gpus are, or raise the budget (--gpus)"
          : "needs "
              + (long) need[1] / (1 << 20)
              + " MiB of memory, the local budget is "
              + memory / (1 << 20)
              + " MiB; lower resources.memory or raise the budget (--memory)";
    }

    private void completed(TaskResult r) {
      if (r.outcome() == Outcome.FAILED
          && attempts.getOrDefault(r.task(), 0) <= retries
          && !context.cancellation().isCancelled()) {
        waiting.add(0, r.task()); // retry next, before later work
        return;
      }
      results.put(r.task(), r);
      if (r.outcome() == Outcome.FAILED && !keepGoing) {
        stopped = true;
      }
    }

    private void abandonWaiting() {
      boolean cancelled = context.cancellation().isCancelled();
      for (TaskId id : waiting) {
        Task task = planned.get(id).task();
        finish(
            cancelled
                ? TaskResult.of(id, Outcome.CANCELLED, "cancelled before it started")
                : Boolean.FALSE.equals(dependenciesOk(task))
                    ? TaskResult.of(id, Outcome.SKIPPED, "skipped: " + failedDependency(task))
                    : TaskResult.of(id, Outcome.SKIPPED, "not started: an earlier task failed"));
      }
      waiting.clear();
    }

    private void finish(TaskResult r) {
      results.put(r.task(), r);
      context.listener().taskFinished(r);
    }
  }
}
