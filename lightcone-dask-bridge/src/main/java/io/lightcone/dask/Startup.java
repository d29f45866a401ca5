package io.lightcone.dask;

import io.lightcone.LightconeException;
import io.lightcone.spi.Cancellation;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starting a cluster may wait long for its workers (a busy SLURM partition): a cancellation of the
 * execution interrupts the start, which then stops what it started.
 */
final class Startup {
  private Startup() {}

  /**
   * {@code start}'s result, or empty when the execution was cancelled while it ran.
   *
   * @throws LightconeException from {@code start} when the execution was not cancelled
   */
  static <T> Optional<T> interruptible(Cancellation cancellation, Supplier<T> start) {
    Thread caller = Thread.currentThread();
    Runnable undo = cancellation.onCancel(caller::interrupt);
    try {
      return Optional.of(start.get());
    } catch (LightconeException e) {
      if (!cancellation.isCancelled()) {
        throw e;
      }
      return Optional.empty();
    } finally {
      undo.run();
      if (cancellation.isCancelled()) {
        Thread.interrupted(); // ours, from the cancel above: the caller reports the cancellation
      }
    }
  }
}
