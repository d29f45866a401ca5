package io.lightcone;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code status} of a project: every output of every selected universe, from manifests only.
 *
 * <pre>{@code
 * StatusReport s = project.status();
 * System.out.println(s); // a table: universe, output, state, reasons
 * }</pre>
 */
public final class StatusReport {
  private final List<OutputStatus> outputs;

  public StatusReport(List<OutputStatus> outputs) {
    this.outputs = List.copyOf(outputs);
  }

  /** Every output, grouped by universe in plan order. */
  public List<OutputStatus> outputs() {
    return outputs;
  }

  /** How many outputs are in each state. */
  public Map<OutputStatus.State, Integer> counts() {
    Map<OutputStatus.State, Integer> counts = new EnumMap<>(OutputStatus.State.class);
    for (OutputStatus.State s : OutputStatus.State.values()) {
      counts.put(s, 0);
    }
    outputs.forEach(o -> counts.merge(o.state(), 1, Integer::sum));
    return counts;
  }

  /** Whether every output that has a recipe is ok. */
  public boolean isUpToDate() {
    return outputs.stream()
        .allMatch(o -> o.state() == OutputStatus.State.OK || o.state() == OutputStatus.State.ALIAS);
  }

  /** {@code UNIVERSE / OUTPUT / STATUS / REASONS}, then the count of each state. */
  @Override
  public String toString() {
    return Tables.render(rows()) + summary();
  }

  /**
   * The same table as {@link #toString()}, as HTML for a notebook's rich display.
   *
   * <pre>{@code display(project.status().toHtml(), "text/html");}</pre>
   */
  public String toHtml() {
    return Tables.html(rows(), java.util.Set.of(), Tables.escape(summary()));
  }

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"UNIVERSE", "OUTPUT", "STATUS", "REASONS"});
    for (OutputStatus o : outputs) {
      rows.add(
          new String[] {
            o.universeId(), o.qualifiedId(), o.state().word(), String.join("; ", o.reasons())
          });
    }
    return rows;
  }

  private String summary() {
    List<String> parts = new ArrayList<>();
    counts()
        .forEach(
            (state, n) -> {
              if (n > 0) {
                parts.add(n + " " + state.word());
              }
            });
    return outputs.size() + " outputs: " + String.join(", ", parts);
  }
}
