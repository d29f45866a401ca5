package io.lightcone.core.internal.yaml;

/**
 * A position in a project file: path relative to the project ({@code /} separators), 1-based line
 * and column.
 */
public record Mark(String file, int line, int column) {
  public static Mark fileOnly(String file) {
    return new Mark(file, 0, 0);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
