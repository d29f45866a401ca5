package io.lightcone;

import io.lightcone.event.ExecutionListener;
import io.lightcone.spi.Cancellation;
import io.lightcone.spi.CancellationSignal;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.Substrate;
import io.lightcone.spi.TaskRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A running execution of a plan: wait for it, or cancel it — which kills every running recipe's
 * process tree and publishes nothing half-done.
 *
 * <pre>{@code
 * Execution run = plan.start(LocalSubstrate.create(), ExecutionListener.NONE);
 * ... run.cancel();
 * ExecutionReport report = run.await();
 * }</pre>
 */
public final class Execution {
  private final CancellationSignal cancellation = new CancellationSignal();
  private final CompletableFuture<ExecutionReport> done = new CompletableFuture<>();

  private Execution() {}

  static Execution start(
      Plan plan, PlanRuntime runtime, Substrate substrate, ExecutionListener listener) {
    AutoCloseable lock = runtime.lock();
    Execution execution = new Execution();
    ExecutionListener guarded = new GuardedListener(listener);
    ExecutionContext context =
        new ExecutionContext() {
          @Override
          public Plan plan() {
            return plan;
          }

          @Override
          public TaskRunner runner() {
            return runtime.runner(substrate.name());
          }

          @Override
          public List<String> taskCommand(Task task) {
            return runtime.taskCommand(task, substrate.name());
          }

          @Override
          public ExecutionListener listener() {
            return guarded;
          }

          @Override
          public Cancellation cancellation() {
            return execution.cancellation;
          }
        };
    Thread thread =
        new Thread(
            () -> {
              Instant start = Instant.now();
              ExecutionReport report = null;
              Throwable failure = null;
              // The lock is released before anyone waiting hears of the end, so a caller may
              // start the next execution as soon as await() returns.
              try (lock) {
                guarded.executionStarted(plan.tasks().size(), plan.toRun().size());
                ExecutionReport r = substrate.execute(context);
                report =
                    new ExecutionReport(
                        r.substrate(), r.results(), Duration.between(start, Instant.now()));
                guarded.executionFinished(report);
              } catch (Throwable t) {
                failure = t;
              }
              if (failure != null) {
                execution.done.completeExceptionally(failure);
              } else {
                execution.done.complete(report);
              }
            },
            "lightcone-execution");
    thread.start();
    return execution;
  }

  /** Stops the execution: nothing new starts, running recipes are killed. Idempotent. */
  public void cancel() {
    cancellation.cancel();
  }

  public boolean isDone() {
    return done.isDone();
  }

  /**
   * Waits for the execution to end. If the waiting thread is interrupted, the execution is
   * cancelled, waited for, and the interrupt flag restored.
   */
  public ExecutionReport await() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return done.get();
        } catch (InterruptedException e) {
          interrupted = true;
          cancel();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof LightconeException le) {
            throw le;
          }
          throw new LightconeException(
              LightconeException.Kind.INTERNAL,
              "the substrate failed: " + e.getCause(),
              e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Keeps a listener's exceptions out of the substrate. */
  private record GuardedListener(ExecutionListener delegate) implements ExecutionListener {
    @Override
    public void executionStarted(int total, int toRun) {
      guard(() -> delegate.executionStarted(total, toRun));
    }

    @Override
    public void taskStarted(TaskId task, int attempt) {
      guard(() -> delegate.taskStarted(task, attempt));
    }

    @Override
    public void resourcesReleased(TaskId task, int attempt) {
      guard(() -> delegate.resourcesReleased(task, attempt));
    }

    @Override
    public void taskOutput(TaskId task, String line) {
      guard(() -> delegate.taskOutput(task, line));
    }

    @Override
    public void taskWarning(TaskId task, String warning) {
      guard(() -> delegate.taskWarning(task, warning));
    }

    @Override
    public void substrateNote(String note) {
      guard(() -> delegate.substrateNote(note));
    }

    @Override
    public void taskFinished(TaskResult result) {
      guard(() -> delegate.taskFinished(result));
    }

    @Override
    public void executionFinished(ExecutionReport report) {
      guard(() -> delegate.executionFinished(report));
    }

    private static void guard(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // Listeners must not throw (see ExecutionListener); a broken one must not break a run.
      }
    }
  }
}
