package io.lightcone;

import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metric values across universes: one row per universe with its choices (a column per decision) and
 * the numbers of the requested fields, read only from outputs that are fresh and whose bytes match
 * their manifests. Rows whose outputs are stale, missing, failed or tampered are listed with the
 * reason and their values are left out, unless asked for ({@code includeStale}), then marked.
 * Summaries (min / median / max, and per decision the spread of per-option medians) cover the ok
 * rows only.
 *
 * <pre>{@code
 * Results r = project.results("distance", "distance_modulus");
 * System.out.println(r);             // the table, what was left out, the summaries
 * display("text/html", r.toHtml());  // in a notebook
 * }</pre>
 */
public final class Results {
  private final List<String> fields;
  private final List<QualifiedDecisionId> decisions;
  private final List<ResultRow> rows;
  private final List<FieldSummary> summaries;
  private final boolean includeStale;
  private final Optional<List<String>> interval;

  /**
   * @param fields the fields read, {@code output.path}, in column order
   * @param decisions the decision columns, in order
   * @param rows one per universe, every state
   * @param summaries one per field that some ok row holds a number for
   * @param includeStale whether rows that are not ok show their values
   * @param interval the two paths of the first field's interval, when asked
   */
  public Results(
      List<String> fields,
      List<QualifiedDecisionId> decisions,
      List<ResultRow> rows,
      List<FieldSummary> summaries,
      boolean includeStale,
      Optional<List<String>> interval) {
    this.fields = List.copyOf(fields);
    this.decisions = List.copyOf(decisions);
    this.rows = List.copyOf(rows);
    this.summaries = List.copyOf(summaries);
    this.includeStale = includeStale;
    this.interval = interval.map(List::copyOf);
  }

  /** The fields, {@code output.path}, in column order. */
  public List<String> fields() {
    return fields;
  }

  /** The decision columns, in the order universes first name them. */
  public List<QualifiedDecisionId> decisions() {
    return decisions;
  }

  /** Every selected universe's row, whatever its state, in universe order. */
  public List<ResultRow> rows() {
    return rows;
  }

  /** The rows the table shows: the ok ones, and the others when {@code includeStale}. */
  public List<ResultRow> table() {
    return rows.stream().filter(this::shown).toList();
  }

  /** The rows left out of the table, each with its state and reasons. */
  public List<ResultRow> leftOut() {
    return rows.stream().filter(r -> !shown(r)).toList();
  }

  /** Whether rows that are not ok show their values (marked by their state). */
  public boolean includeStale() {
    return includeStale;
  }

  /** The two paths of the first field's interval ({@code [low, high]}), when asked. */
  public Optional<List<String>> interval() {
    return interval;
  }

  /** One per field that some ok row holds a number for, in field order. */
  public List<FieldSummary> summaries() {
    return summaries;
  }

  /** The summary of {@code field}; empty when no ok row holds a number for it. */
  public Optional<FieldSummary> summary(String field) {
    return summaries.stream().filter(s -> s.field().equals(field)).findFirst();
  }

  /** How many rows are in each state. */
  public Map<ResultRow.State, Integer> counts() {
    Map<ResultRow.State, Integer> counts = new EnumMap<>(ResultRow.State.class);
    rows.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
    return counts;
  }

  /** Whether some output read did not match its manifest (an integrity failure, as in verify). */
  public boolean hasTampered() {
    return rows.stream().anyMatch(r -> r.state() == ResultRow.State.TAMPERED);
  }

  private boolean shown(ResultRow r) {
    return r.ok() || includeStale;
  }

  /** The table, the rows left out with their reasons, then the summary lines. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(Tables.render(cells()));
    leftOutLines().forEach(l -> out.append(l).append('\n'));
    List<String> summary = summaryLines();
    for (int i = 0; i < summary.size(); i++) {
      out.append(summary.get(i)).append(i < summary.size() - 1 ? "\n" : "");
    }
    return out.toString();
  }

  /**
   * The same as {@link #toString()} as HTML for a notebook's rich display: the table, then the
   * left-out rows and the summaries, escaped.
   *
   * <pre>{@code display("text/html", project.results("pl_fit", "slope").toHtml());}</pre>
   */
  public String toHtml() {
    List<String> lines = new ArrayList<>(leftOutLines());
    lines.addAll(summaryLines());
    StringBuilder summary = new StringBuilder();
    for (String l : lines) {
      summary.append(summary.length() == 0 ? "" : "<br>\n").append(Tables.escape(l));
    }
    return Tables.html(cells(), java.util.Set.of(), summary.toString());
  }

  /**
   * Every row as CSV (RFC 4180, {@code \n} line ends): {@code universe}, a column per decision, a
   * column per field (plus {@code FIELD.low}/{@code FIELD.high} with an interval), {@code state},
   * {@code reasons}. A left-out row keeps its state and reasons and has empty values.
   */
  public String toCsv() {
    List<String> header = new ArrayList<>();
    header.add("universe");
    decisions.forEach(d -> header.add(d.toString()));
    header.addAll(fields);
    if (interval.isPresent()) {
      header.add(fields.get(0) + ".low");
      header.add(fields.get(0) + ".high");
    }
    header.add("state");
    header.add("reasons");
    StringBuilder out = new StringBuilder();
    csvLine(out, header);
    for (ResultRow r : rows) {
      List<String> line = new ArrayList<>();
      line.add(r.universe().value());
      for (QualifiedDecisionId d : decisions) {
        OptionId o = r.choices().get(d);
        line.add(o == null ? "" : o.value());
      }
      for (String f : fields) {
        Double v = r.values().get(f);
        line.add(v == null ? "" : number(v));
      }
      if (interval.isPresent()) {
        line.add(r.interval().map(i -> number(i.low())).orElse(""));
        line.add(r.interval().map(i -> number(i.high())).orElse(""));
      }
      line.add(r.state().word());
      line.add(String.join("; ", r.reasons()));
      csvLine(out, line);
    }
    return out.toString();
  }

  private static void csvLine(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i > 0) {
        out.append(',');
      }
      if (c.indexOf(',') >= 0
          || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        out.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        out.append(c);
      }
    }
    out.append('\n');
  }

  private List<String[]> cells() {
    List<ResultRow> shown = table();
    boolean marked = shown.stream().anyMatch(r -> !r.ok());
    List<String> header = new ArrayList<>();
    header.add("UNIVERSE");
    decisions.forEach(d -> header.add(d.toString()));
    for (int i = 0; i < fields.size(); i++) {
      header.add(fields.get(i));
      if (i == 0 && interval.isPresent()) {
        header.add("INTERVAL");
      }
    }
    if (marked) {
      header.add("STATE");
    }
    List<String[]> cells = new ArrayList<>();
    cells.add(header.toArray(String[]::new));
    for (ResultRow r : shown) {
      List<String> row = new ArrayList<>();
      row.add(r.universe().value());
      for (QualifiedDecisionId d : decisions) {
        OptionId o = r.choices().get(d);
        row.add(o == null ? "" : o.value());
      }
      for (int i = 0; i < fields.size(); i++) {
        Double v = r.values().get(fields.get(i));
        row.add(v == null ? "" : number(v));
        if (i == 0 && interval.isPresent()) {
          row.add(
              r.interval()
                  .map(x -> "[" + number(x.low()) + ", " + number(x.high()) + "]")
                  .orElse(""));
        }
      }
      if (marked) {
        row.add(r.ok() ? "ok" : r.state().word() + ": " + String.join("; ", r.reasons()));
      }
      cells.add(row.toArray(String[]::new));
    }
    return cells;
  }

  private List<String> leftOutLines() {
    List<ResultRow> out = leftOut();
    if (out.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        out.size()
            + " universe(s) left out, their outputs not fresh and verified (--include-stale,"
            + " or includeStale, shows them marked):");
    for (ResultRow r : out) {
      lines.add(
          "  "
              + r.universe().value()
              + "  "
              + r.state().word()
              + ": "
              + String.join("; ", r.reasons()));
    }
    return lines;
  }

  private List<String> summaryLines() {
    List<String> lines = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    counts().forEach((state, n) -> parts.add(n + " " + state.word()));
    lines.add(
        rows.size()
            + " universe(s)"
            + (parts.isEmpty() ? "" : ": " + String.join(", ", parts))
            + (includeStale && rows.stream().anyMatch(r -> !r.ok())
                ? " (summaries count the ok ones only)"
                : ""));
    for (FieldSummary s : summaries) {
      lines.add(
          s.field()
              + ": min "
              + rounded(s.min())
              + ", median "
              + rounded(s.median())
              + ", max "
              + rounded(s.max())
              + " over "
              + s.count()
              + " ok universe(s)");
      for (DecisionSpread d : s.spreads()) {
        List<String> medians = new ArrayList<>();
        d.medians().forEach((o, m) -> medians.add(o.value() + " " + rounded(m)));
        lines.add(
            "  "
                + d.decision()
                + " moves the median by "
                + rounded(d.spread())
                + " ("
                + String.join(", ", medians)
                + ")");
      }
    }
    return lines;
  }

  /**
   * A value as read, shortest form: {@code 18.4294}, {@code 42}, {@code 1.0E-7}. The one way values
   * print in the tables and the CSV.
   */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e15) {
      return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
    return Double.toString(v);
  }

  /** A computed summary (a median of two, a difference) to six significant digits. */
  static String rounded(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    return number(new BigDecimal(v).round(new MathContext(6)).doubleValue());
  }
}
