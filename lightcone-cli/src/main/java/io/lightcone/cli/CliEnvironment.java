package io.lightcone.cli;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What {@code lc} takes from the process it runs in: whether it talks to a terminal, how wide that
 * is, how it hears Ctrl-C, and a clock for elapsed times. The one class of the CLI that reads the
 * environment (STYLE rule 4); tests build their own.
 *
 * <pre>{@code
 * CliEnvironment env = new CliEnvironment(true, 80, Interrupts.NONE, System::nanoTime);
 * }</pre>
 *
 * @param interactive whether standard input and output are a terminal (a live progress line)
 * @param columns the terminal's width, for truncating the progress line
 * @param interrupts how a command hears that the process is asked to stop
 * @param nanoTime a monotonic clock in nanoseconds
 * @param colour whether colour may be used: a terminal, and {@code NO_COLOR} not set
 */
record CliEnvironment(
    boolean interactive,
    int columns,
    Interrupts interrupts,
    LongSupplier nanoTime,
    boolean colour) {
  /** Without {@code COLUMNS}: what most terminals are at least. */
  static final int DEFAULT_COLUMNS = 100;

  CliEnvironment {
    Objects.requireNonNull(interrupts, "interrupts");
    Objects.requireNonNull(nanoTime, "nanoTime");
    if (columns < 1) {
      columns = DEFAULT_COLUMNS;
    }
  }

  /** Without colour (what tests compare line by line). */
  CliEnvironment(boolean interactive, int columns, Interrupts interrupts, LongSupplier nanoTime) {
    this(interactive, columns, interrupts, nanoTime, false);
  }

  /**
   * This process: a terminal when there is a console, {@code COLUMNS}, JVM shutdown hooks, colour
   * on a terminal unless {@code NO_COLOR} is set.
   */
  static CliEnvironment system() {
    boolean terminal = System.console() != null;
    return new CliEnvironment(
        terminal,
        columns(System.getenv("COLUMNS")),
        Interrupts.shutdownHooks(),
        System::nanoTime,
        colour(terminal, System.getenv("NO_COLOR")));
  }

  /**
   * Colour on a terminal only, and never when {@code NO_COLOR} is set, whatever its value
   * (https://no-color.org).
   */
  static boolean colour(boolean terminal, String noColorVariable) {
    return terminal && noColorVariable == null;
  }

  /** {@code COLUMNS} as the shell exports it, or the default when unset or not a width. */
  static int columns(String variable) {
    if (variable == null || !variable.strip().matches("\\d{1,5}")) {
      return DEFAULT_COLUMNS;
    }
    int columns = Integer.parseInt(variable.strip());
    return columns > 0 ? columns : DEFAULT_COLUMNS;
  }
}
