package io.lightcone.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A clean copy of samples/period-luminosity: a run writes results/ and .lightcone/ into it. */
final class SampleCopy {
  /** Surefire and failsafe run in the samples module directory. */
  static final Path SAMPLE = Path.of("period-luminosity").toAbsolutePath();

  private SampleCopy() {}

  static Path into(Path dir) throws IOException {
    Path target = dir.resolve("period-luminosity");
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path file : files.toList()) {
        if (isRunState(file)) {
          continue;
        }
        Path rel = SAMPLE.relativize(file);
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return target;
  }

  // results/ beside any astra.yaml (the sub-analysis's too), .lightcone/ and .snakemake/: what the
  // README's first command writes into the sample.
  private static boolean isRunState(Path file) {
    for (Path dir = file;
        dir != null && dir.startsWith(SAMPLE) && !dir.equals(SAMPLE);
        dir = dir.getParent()) {
      String name = dir.getFileName().toString();
      if (name.equals(".lightcone") || name.equals(".snakemake")) {
        return true;
      }
      if (name.equals("results") && Files.isRegularFile(dir.resolveSibling("astra.yaml"))) {
        return true;
      }
    }
    return false;
  }
}
