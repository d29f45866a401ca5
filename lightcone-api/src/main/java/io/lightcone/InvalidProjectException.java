package io.lightcone;

/**
 * Thrown by {@code Project.load} when a project has errors; carries every problem found, not only
 * the first.
 *
 * <pre>{@code
 * catch (InvalidProjectException e) { e.report().errors().forEach(System.err::println); }
 * }</pre>
 */
public final class InvalidProjectException extends LightconeException {
  private static final long serialVersionUID = 1L;

  private final transient ValidationReport report;

  public InvalidProjectException(ValidationReport report) {
    super(Kind.USER_INPUT, summary(report));
    this.report = report;
  }

  public ValidationReport report() {
    return report;
  }

  private static String summary(ValidationReport report) {
    StringBuilder out = new StringBuilder();
    int errors = report.errors().size();
    out.append("invalid project: ")
        .append(errors)
        .append(errors == 1 ? " error" : " errors")
        .append('\n');
    report.errors().forEach(p -> out.append(p).append('\n'));
    return out.toString().stripTrailing();
  }
}
