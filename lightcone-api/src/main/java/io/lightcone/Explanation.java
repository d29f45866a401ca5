package io.lightcone;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The whole story of one task's freshness: each ingredient of its {@code code_version} and each
 * input version as the manifest recorded it and as it is now, and the verdict.
 *
 * <pre>{@code System.out.println(project.explain("fit", "baseline"));}</pre>
 *
 * @param task the task
 * @param outputDir project-relative output directory
 * @param verdict {@code fresh}, {@code stale}, {@code missing} or {@code invalid}
 * @param reasons why it is not fresh
 * @param code {@code code_version} and its ingredients, then and now
 * @param inputs each declared input's version, then and now
 */
public record Explanation(
    TaskId task,
    String outputDir,
    String verdict,
    List<String> reasons,
    List<Row> code,
    List<Row> inputs) {

  /**
   * One compared value.
   *
   * @param name what it is
   * @param then as recorded in the manifest ({@code -} when there is none)
   * @param now as the project gives it now
   */
  public record Row(String name, String then, String now) {
    public boolean changed() {
      return !Objects.equals(then, now);
    }
  }

  public Explanation {
    reasons = List.copyOf(reasons);
    code = List.copyOf(code);
    inputs = List.copyOf(inputs);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(task).append("  (").append(outputDir).append(")\n");
    out.append("verdict: ").append(verdict);
    if (!reasons.isEmpty()) {
      out.append(" — ").append(String.join("; ", reasons));
    }
    out.append("\n\n");
    table(out, "code", code);
    out.append('\n');
    table(out, "inputs", inputs);
    return out.toString().stripTrailing();
  }

  /**
   * The same information as {@link #toString()}, as HTML for a notebook's rich display: the verdict
   * and reasons, then the code and input tables.
   *
   * <pre>{@code display(project.explain("distance", "baseline").toHtml(), "text/html");}</pre>
   */
  public String toHtml() {
    StringBuilder out =
        new StringBuilder("<div class=\"lightcone\">\n<p><b>")
            .append(Tables.escape(task.toString()))
            .append("</b> (")
            .append(Tables.escape(outputDir))
            .append(")<br>verdict: ")
            .append(Tables.escape(verdict));
    if (!reasons.isEmpty()) {
      out.append(" — ").append(Tables.escape(String.join("; ", reasons)));
    }
    out.append("</p>\n")
        .append(Tables.html(cells("code", code), java.util.Set.of(), ""))
        .append('\n')
        .append(Tables.html(cells("inputs", inputs), java.util.Set.of(), ""))
        .append("\n</div>");
    return out.toString();
  }

  private static void table(StringBuilder out, String title, List<Row> rows) {
    out.append(Tables.render(cells(title, rows)));
  }

  private static List<String[]> cells(String title, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {title.toUpperCase(java.util.Locale.ROOT), "THEN", "NOW", ""});
    for (Row r : rows) {
      cells.add(new String[] {r.name(), r.then(), r.now(), r.changed() ? "changed" : ""});
    }
    if (rows.isEmpty()) {
      cells.add(new String[] {"(none)", "", "", ""});
    }
    return cells;
  }
}
