package io.lightcone;

import java.util.List;
import java.util.Set;

/**
 * The two renderings every notebook-facing value shares: a plain-text table for {@code toString()}
 * (columns padded to their widest cell) and an HTML table for {@code toHtml()}, built from the same
 * rows so both carry the same information.
 */
final class Tables {
  private Tables() {}

  static String render(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(r[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - r[i].codePointCount(0, r[i].length()) + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /**
   * {@code rows} (the first one the header) as an HTML table with {@code summary} below it, in a
   * {@code div class="lightcone"}. Cells of {@code timeColumns} carry {@code class="lc-time"}: they
   * are the only ones that change from run to run, and say so to tests and style sheets.
   */
  static String html(List<String[]> rows, Set<Integer> timeColumns, String summary) {
    return html(rows, (row, column) -> timeColumns.contains(column), summary);
  }

  /** As above, with the time cells chosen by (row index without the header, column index). */
  static String html(
      List<String[]> rows, java.util.function.BiPredicate<Integer, Integer> time, String summary) {
    StringBuilder out = new StringBuilder("<div class=\"lightcone\">\n<table>\n<thead><tr>");
    for (String h : rows.get(0)) {
      out.append("<th>").append(escape(h)).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (int row = 1; row < rows.size(); row++) {
      String[] r = rows.get(row);
      out.append("<tr>");
      for (int i = 0; i < r.length; i++) {
        out.append(time.test(row - 1, i) ? "<td class=\"lc-time\">" : "<td>")
            .append(escape(r[i]))
            .append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    if (!summary.isEmpty()) {
      out.append("<p>").append(summary).append("</p>\n");
    }
    return out.append("</div>").toString();
  }

  /** {@code s} safe inside HTML text and attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A run-to-run varying value inside an HTML summary, marked as such. */
  static String time(String s) {
    return "<span class=\"lc-time\">" + escape(s) + "</span>";
  }

  /** {@code 0.3s}: the one way durations are shown in tables and progress lines. */
  static String seconds(java.time.Duration d) {
    // As String.format("%.1fs", millis / 1000.0) rounds (half up), without a Formatter per line.
    long tenths = (Math.max(0, d.toMillis()) + 50) / 100;
    return tenths / 10 + "." + tenths % 10 + "s";
  }
}
