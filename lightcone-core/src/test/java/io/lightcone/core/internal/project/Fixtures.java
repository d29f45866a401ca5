package io.lightcone.core.internal.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures: the ASTRA conformance material in {@code shared/}, and small projects. */
final class Fixtures {
  private Fixtures() {}

  /**
   * {@code shared/astra-conformance}, found beside the repository (as CI lays it out) or in an
   * ancestor directory; a missing copy fails the test rather than skipping it.
   */
  static Path conformance() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      for (Path candidate :
          new Path[] {
            p.resolve("shared/astra-conformance"), p.resolve("../shared/astra-conformance")
          }) {
        if (Files.isDirectory(candidate)) {
          return candidate.normalize();
        }
      }
    }
    throw new IllegalStateException(
        "shared/astra-conformance not found beside the repository; CI lays it out as ../shared");
  }

  /** Writes {@code files} (path, content, path, content, ...) under {@code dir}. */
  static Path project(Path dir, String... pathsAndContents) {
    try {
      for (int i = 0; i < pathsAndContents.length; i += 2) {
        Path f = dir.resolve(pathsAndContents[i]);
        Files.createDirectories(f.getParent());
        Files.writeString(f, pathsAndContents[i + 1]);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
