package io.lightcone.core;

/**
 * Names the class whose {@code main} runs the plumbing commands ({@code lc task run}, {@code lc
 * task serve}) in another process. lightcone-cli provides one through {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.lightcone.core.TaskLauncher}), so core
 * never names the CLI's class. Without one on the class path, and without {@code LIGHTCONE_LC}, the
 * plumbing command is {@code lc} as found on {@code PATH}.
 */
public interface TaskLauncher {
  /**
   * The class whose {@code main(String[])} takes {@code task run ...} and {@code task serve ...}.
   */
  Class<?> mainClass();
}
