package io.lightcone.cli;

import io.lightcone.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Progress for a terminal: finished tasks scroll by as lines, and one status line below them is
 * redrawn in place with {@code \r} — done/running/failed/total, elapsed, ETA and the names of the
 * running tasks, cut to the terminal's width so that it never wraps.
 *
 * <pre>
 * [3/11] ok baseline/pl_fit 0.3s
 * [3/11] 2 running, 0 failed | 1.2s, ETA 3.1s | baseline/distance, baseline/pl_diagram
 * </pre>
 */
final class TtyProgress extends Progress {
  private final int columns;
  private int shown;

  TtyProgress(PrintWriter out, Path project, LongSupplier nanoTime, int columns) {
    super(out, project, nanoTime);
    this.columns = Math.max(20, columns);
  }

  @Override
  protected void print(List<String> lines) {
    erase();
    lines.forEach(out::println);
    draw();
  }

  /** The status line names the running tasks; a line each would scroll them away. */
  @Override
  protected void started(String line) {
    draw();
  }

  @Override
  synchronized void tick() {
    draw();
  }

  @Override
  protected void clearStatus() {
    erase();
    out.flush();
  }

  /** The status line as it is now, at most {@code columns - 1} characters. */
  String statusLine() {
    StringBuilder line = new StringBuilder(counter());
    line.append(' ').append(running().size()).append(" running, ");
    line.append(failedCount()).append(" failed | ").append(duration(elapsed()));
    Duration eta = eta();
    if (eta != null) {
      line.append(", ETA ").append(duration(eta));
    }
    List<TaskId> running = running();
    if (!running.isEmpty()) {
      line.append(" | ");
      for (int i = 0; i < running.size(); i++) {
        line.append(i == 0 ? "" : ", ").append(running.get(i));
      }
    }
    // The last column would make some terminals wrap; a wrapped line cannot be redrawn with \r.
    int max = columns - 1;
    if (line.length() > max) {
      line.setLength(max - 3);
      line.append("...");
    }
    return line.toString();
  }

  private void draw() {
    if (summarised()) {
      return; // a last tick of the ticker, after the summary
    }
    String line = statusLine();
    out.print('\r');
    out.print(line);
    if (line.length() < shown) {
      out.print(" ".repeat(shown - line.length()));
      out.print('\r');
      out.print(line);
    }
    shown = line.length();
    out.flush();
  }

  private void erase() {
    if (shown > 0) {
      out.print('\r');
      out.print(" ".repeat(shown));
      out.print('\r');
      shown = 0;
    }
  }
}
