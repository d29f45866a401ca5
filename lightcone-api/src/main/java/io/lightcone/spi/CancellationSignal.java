package io.lightcone.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Cancellation} that whoever holds it can set: once, for good, running every action
 * registered so far. Thread-safe. Substrates use one where a cancellation has a cause of their own
 * (a client gone, a worker lost) besides the execution's.
 *
 * <pre>{@code
 * CancellationSignal gone = new CancellationSignal();
 * Runnable undo = context.cancellation().onCancel(gone::cancel);
 * runner.run(task, 1, gone, listener);
 * }</pre>
 */
public final class CancellationSignal implements Cancellation {
  private final List<Runnable> actions = new ArrayList<>();
  private boolean cancelled;

  /** Cancels: runs each registered action once, on this thread; later calls do nothing. */
  public void cancel() {
    List<Runnable> run;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      run = new ArrayList<>(actions);
      actions.clear();
    }
    for (Runnable r : run) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // One failing action must not keep the others from running.
      }
    }
  }

  @Override
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  @Override
  public Runnable onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        actions.add(action);
        return () -> {
          synchronized (this) {
            actions.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> {};
  }
}
