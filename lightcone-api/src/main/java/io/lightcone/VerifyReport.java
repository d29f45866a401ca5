package io.lightcone;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code verify} of a project: every existing output re-hashed and its chain of manifests checked.
 *
 * <pre>{@code
 * VerifyReport v = project.verify();
 * if (v.failures() > 0) System.out.println(v);
 * }</pre>
 */
public final class VerifyReport {
  private final List<VerifyResult> results;

  public VerifyReport(List<VerifyResult> results) {
    this.results = List.copyOf(results);
  }

  public List<VerifyResult> results() {
    return results;
  }

  public long failures() {
    return results.stream().filter(r -> !r.passed()).count();
  }

  public boolean passed() {
    return failures() == 0;
  }

  /** {@code UNIVERSE / OUTPUT / RESULT / DETAIL}, then the verdict. */
  @Override
  public String toString() {
    return Tables.render(rows()) + summary();
  }

  /**
   * The same table as {@link #toString()}, as HTML for a notebook's rich display.
   *
   * <pre>{@code display(project.verify().toHtml(), "text/html");}</pre>
   */
  public String toHtml() {
    return Tables.html(rows(), java.util.Set.of(), Tables.escape(summary()));
  }

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"UNIVERSE", "OUTPUT", "RESULT", "DETAIL"});
    for (VerifyResult r : results) {
      rows.add(
          new String[] {
            r.universeId(),
            r.qualifiedId(),
            r.failure().map(VerifyResult.Failure::word).orElse("ok"),
            r.detail()
          });
    }
    return rows;
  }

  private String summary() {
    long f = failures();
    return f == 0
        ? results.size() + " outputs verified, no integrity failure."
        : f + " integrity failure(s).";
  }
}
