package io.lightcone;

import java.util.Comparator;
import java.util.List;

/**
 * Every problem found while loading and validating a project, errors and warnings, sorted by file
 * and position.
 *
 * <pre>{@code
 * ValidationReport report = Project.validate(Path.of("my-analysis"));
 * if (!report.isValid()) report.errors().forEach(System.err::println);
 * }</pre>
 */
public final class ValidationReport {
  private static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::file)
          .thenComparingInt(Problem::line)
          .thenComparingInt(Problem::column)
          .thenComparing(Problem::severity)
          .thenComparing(Problem::message);

  private final List<Problem> problems;

  private ValidationReport(List<Problem> problems) {
    this.problems = problems.stream().sorted(ORDER).distinct().toList();
  }

  public static ValidationReport of(List<Problem> problems) {
    return new ValidationReport(problems);
  }

  /** All problems, errors and warnings, in file and position order. */
  public List<Problem> problems() {
    return problems;
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  public List<Problem> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }

  /** True when there is no error; warnings do not make a project invalid. */
  public boolean isValid() {
    return problems.stream().noneMatch(Problem::isError);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidationReport other && problems.equals(other.problems);
  }

  @Override
  public int hashCode() {
    return problems.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    problems.forEach(p -> out.append(p).append('\n'));
    int e = errors().size();
    int w = problems.size() - e;
    out.append(e == 0 ? "valid" : "invalid")
        .append(": ")
        .append(e)
        .append(e == 1 ? " error, " : " errors, ")
        .append(w)
        .append(w == 1 ? " warning" : " warnings");
    return out.toString();
  }
}
