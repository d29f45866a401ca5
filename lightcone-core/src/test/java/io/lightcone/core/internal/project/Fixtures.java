package io.lightcone.core.internal.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test fixtures: the ASTRA conformance material in {@code conformance/astra}, and small projects.
 */
final class Fixtures {
  private Fixtures() {}

  /**
   * {@code conformance/astra} at the repository's root, found from the module directory the test
   * runs in; a missing copy fails the test rather than skipping it.
   */
  static Path conformance() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("conformance/astra");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "conformance/astra not found above " + Path.of("").toAbsolutePath());
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
