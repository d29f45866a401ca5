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
        Path rel = SAMPLE.relativize(file);
        if (rel.startsWith("results") || rel.startsWith(".lightcone")) {
          continue;
        }
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
}
