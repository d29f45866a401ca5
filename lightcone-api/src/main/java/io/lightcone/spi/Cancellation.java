package io.lightcone.spi;

/**
 * Whether an execution was cancelled, and a way to hear it at once. Thread-safe.
 *
 * <pre>{@code Runnable undo = cancellation.onCancel(process::kill); ... undo.run();}</pre>
 */
public interface Cancellation {
  boolean isCancelled();

  /**
   * Runs {@code action} when the execution is cancelled (at once, on this thread, if it already
   * is). Returns a handle that removes the action; call it when the work it guards is over.
   */
  Runnable onCancel(Runnable action);
}
