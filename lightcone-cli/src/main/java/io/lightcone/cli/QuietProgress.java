package io.lightcone.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code lc run --quiet}: nothing while the run goes, then only the summary line and a {@code
 * failed: ...} line per failure.
 */
final class QuietProgress extends Progress {
  QuietProgress(PrintWriter out, Path project, LongSupplier nanoTime) {
    super(out, project, nanoTime);
  }

  @Override
  protected void print(List<String> lines) {
    // Quiet: the summary (printed by summary()) is all.
  }
}
