package io.lightcone.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small projects for tests. */
final class TestProjects {
  private TestProjects() {}

  /** Writes {@code files} (path, content, path, content, ...) under {@code dir}. */
  static Path write(Path dir, String... pathsAndContents) {
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

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
