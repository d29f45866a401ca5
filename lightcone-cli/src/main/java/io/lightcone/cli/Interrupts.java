package io.lightcone.cli;

/**
 * How a long command hears that the process is asked to stop (Ctrl-C, SIGTERM), so it can cancel
 * its work and clean up before the JVM ends. Tests fire it by hand.
 *
 * <pre>{@code
 * try (AutoCloseable hook = interrupts.onInterrupt(execution::cancel)) { execution.await(); }
 * }</pre>
 */
interface Interrupts {
  /** Never interrupts. */
  Interrupts NONE = action -> () -> {};

  /**
   * Runs {@code action} when the process is asked to stop, until the returned handle is closed. The
   * action runs on a thread of its own; the process ends when it returns.
   */
  Handle onInterrupt(Runnable action);

  /** Stops listening; never throws. */
  interface Handle extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * JVM shutdown hooks: SIGINT and SIGTERM run them, and the JVM exits with 128 + the signal's
   * number once they return (130 for Ctrl-C).
   */
  static Interrupts shutdownHooks() {
    return action -> {
      Thread hook = new Thread(action, "lc-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      return () -> {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running or has run: the JVM is on its way out anyway.
        }
      };
    };
  }
}
