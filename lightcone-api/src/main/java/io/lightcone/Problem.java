package io.lightcone;

import java.util.Objects;

/**
 * One problem found in a project: where it is (file relative to the project, 1-based line and
 * column, the key concerned) and what to do about it.
 *
 * <pre>{@code
 * report.problems().forEach(p -> System.out.println(p)); // astra.yaml:12:5: error: ...
 * }</pre>
 *
 * @param severity whether the problem makes the project invalid
 * @param file path of the file relative to the project directory, with {@code /} separators, or
 *     empty when the problem concerns no single file
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param key the key the problem is about (e.g. {@code outputs[2].recipe}), or empty
 * @param message what happened, the value, and what to do
 */
public record Problem(
    Severity severity, String file, int line, int column, String key, String message) {

  /** How bad a problem is. */
  public enum Severity {
    ERROR,
    WARNING;

    /** The lower-case word printed before a message. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Problem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:col} as far as it is known, e.g. {@code astra.yaml:12:5}. */
  public String location() {
    StringBuilder out = new StringBuilder(file.isEmpty() ? "<project>" : file);
    if (line > 0) {
      out.append(':').append(line);
      if (column > 0) {
        out.append(':').append(column);
      }
    }
    return out.toString();
  }

  /** {@code astra.yaml:12:5: error: message}, the form compilers and editors understand. */
  @Override
  public String toString() {
    return location() + ": " + severity.label() + ": " + message;
  }
}
