package io.lightcone.core;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.event.ExecutionListener;
import io.lightcone.model.Resources;
import io.lightcone.spi.CancellationSignal;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.SchedulingOptions;
import io.lightcone.spi.Substrate;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
  public boolean runsOnThisMachine() {
    return true;
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
  public LocalSubstrate with(SchedulingOptions options) {
    return new LocalSubstrate(
        cpus, memory, gpus, options.jobs().orElse(jobs), options.keepGoing(), options.retries());
  }

  @Override
  public ExecutionReport execute(ExecutionContext context) {
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread th = new Thread(r, "lightcone-local");
              th.setDaemon(true);
              return th;
            });
    CancellationSignal cancel = new CancellationSignal();
    Runnable unregister = context.cancellation().onCancel(cancel::cancel);
    try {
      return TaskScheduler.run(
          context,
          name(),
          new SchedulingOptions(OptionalInt.of(jobs), keepGoing, retries),
          new TaskScheduler.Budget(cpus, memory, gpus, "local"),
          new Threads(context, pool, cancel));
    } finally {
      unregister.run();
      pool.shutdownNow();
    }
  }

  /** Launches each task on a thread of its own, through the task runner in this process. */
  private record Threads(ExecutionContext context, ExecutorService pool, CancellationSignal cancel)
      implements TaskScheduler.Launcher {
    @Override
    public void launch(Task task, int attempt, TaskScheduler.Events events) {
      pool.execute(
          () -> {
            TaskResult r;
            try {
              r =
                  context
                      .runner()
                      .run(task, attempt, cancel, new Relay(context.listener(), events));
            } catch (RuntimeException e) {
              r = TaskResult.of(task.id(), Outcome.FAILED, "the task runner failed: " + e);
            } catch (Error e) {
              // A JVM that cannot run tasks (a native library that does not load, no memory):
              // nothing more starts and this attempt ends failed, so the run ends instead of
              // waiting for an attempt whose thread is gone.
              events.broken("this Java cannot run tasks: " + e.getMessage());
              events.ended(
                  TaskResult.of(
                      task.id(), Outcome.FAILED, "the task runner failed: " + e.getMessage()));
              throw e;
            }
            events.ended(r);
          });
    }

    @Override
    public void cancelAll(TaskScheduler.Events events) {
      cancel.cancel(); // also when the scheduling thread was interrupted
    }
  }

  /** The runner's events: its start and freed resources to the scheduler, its lines as they are. */
  private record Relay(ExecutionListener listener, TaskScheduler.Events events)
      implements ExecutionListener {
    @Override
    public void taskStarted(TaskId task, int attempt) {
      events.started(task, attempt);
    }

    @Override
    public void resourcesReleased(TaskId task, int attempt) {
      events.released(task);
    }

    @Override
    public void taskOutput(TaskId task, String line) {
      listener.taskOutput(task, line);
    }

    @Override
    public void taskWarning(TaskId task, String warning) {
      listener.taskWarning(task, warning);
    }

    // taskFinished: the scheduler tells the listener once it has the result.
  }
}
