package io.lightcone.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads small projects for the tests of every module. */
public class TestProjects {
  /** Static helpers only; a module's own fixtures class may extend this one to add its own. */
  protected TestProjects() {}

  /** Writes {@code files} (relative path, content, alternating) under {@code dir}. */
  public static Path write(Path dir, String... files) {
    try {
      for (int i = 0; i < files.length; i += 2) {
        Path file = dir.resolve(files[i]);
        Files.createDirectories(file.getParent());
        Files.writeString(file, files[i + 1]);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of {@code file}, in UTF-8. */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
