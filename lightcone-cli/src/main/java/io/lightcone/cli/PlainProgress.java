package io.lightcone.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Progress for logs and pipes: one line per event, nothing redrawn.
 *
 * <pre>
 * [3/11] ok baseline/pl_fit 0.3s
 * </pre>
 */
final class PlainProgress extends Progress {
  PlainProgress(PrintWriter out, Path project, LongSupplier nanoTime) {
    super(out, project, nanoTime);
  }

  @Override
  protected void print(List<String> lines) {
    lines.forEach(out::println);
    out.flush();
  }
}
