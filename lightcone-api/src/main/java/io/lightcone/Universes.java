package io.lightcone;

import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A multiverse as a table: one row per universe, one column per decision with the option it chose,
 * and any number of result columns joined by universe id. The notebook answer to "how does this
 * result vary with my choices?".
 *
 * <pre>{@code
 * project.universeTable().with("mu", project.metric("distance", "distance_modulus"));
 * // UNIVERSE  fit_method  magnitude  calibration.parallax_offset  mu
 * }</pre>
 */
public final class Universes {
  private final List<ResolvedUniverse> universes;
  private final Map<String, Map<UniverseId, ?>> columns;

  private Universes(List<ResolvedUniverse> universes, Map<String, Map<UniverseId, ?>> columns) {
    this.universes = List.copyOf(universes);
    this.columns = columns;
  }

  /** The table of {@code universes}, in the order given. */
  public static Universes of(List<ResolvedUniverse> universes) {
    return new Universes(universes, Map.of());
  }

  /** The universes, in table order. */
  public List<ResolvedUniverse> list() {
    return universes;
  }

  /** Every decision some universe chose an option for, in the order they first appear. */
  public List<QualifiedDecisionId> decisions() {
    Set<QualifiedDecisionId> all = new LinkedHashSet<>();
    universes.forEach(u -> all.addAll(u.choices().keySet()));
    return List.copyOf(all);
  }

  /**
   * This table with one more column, {@code name}, holding {@code values.get(universe id)} (blank
   * where a universe has none). Values print with {@code String.valueOf}.
   *
   * @throws IllegalArgumentException when the table already has a column {@code name}
   */
  public Universes with(String name, Map<UniverseId, ?> values) {
    Objects.requireNonNull(values, "values");
    if (columns.containsKey(name) || name.equals("UNIVERSE")) {
      throw new IllegalArgumentException("the table already has a column '" + name + "'");
    }
    Map<String, Map<UniverseId, ?>> more = new LinkedHashMap<>(columns);
    more.put(name, Map.copyOf(values));
    return new Universes(universes, more);
  }

  /**
   * The rows as maps, for further analysis: {@code universe} → id, each decision's qualified id →
   * option id, each joined column → its value (absent where the universe has none).
   */
  public List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ResolvedUniverse u : universes) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("universe", u.id().value());
      for (QualifiedDecisionId d : decisions()) {
        OptionId o = u.choices().get(d);
        if (o != null) {
          row.put(d.toString(), o.value());
        }
      }
      columns.forEach(
          (name, values) -> {
            Object v = values.get(u.id());
            if (v != null) {
              row.put(name, v);
            }
          });
      rows.add(row);
    }
    return rows;
  }

  /** {@code UNIVERSE}, one column per decision, then the joined columns. */
  @Override
  public String toString() {
    return Tables.render(cells()) + summary();
  }

  /**
   * The same table as {@link #toString()}, as HTML for a notebook's rich display.
   *
   * <pre>{@code display(plan.universeTable().toHtml(), "text/html");}</pre>
   */
  public String toHtml() {
    return Tables.html(cells(), Set.of(), Tables.escape(summary()));
  }

  private List<String[]> cells() {
    List<QualifiedDecisionId> decisions = decisions();
    List<String> header = new ArrayList<>();
    header.add("UNIVERSE");
    decisions.forEach(d -> header.add(d.toString()));
    header.addAll(columns.keySet());
    List<String[]> cells = new ArrayList<>();
    cells.add(header.toArray(String[]::new));
    for (ResolvedUniverse u : universes) {
      List<String> row = new ArrayList<>();
      row.add(u.id().value());
      for (QualifiedDecisionId d : decisions) {
        OptionId o = u.choices().get(d);
        row.add(o == null ? "" : o.value() + (u.defaulted().contains(d) ? " (default)" : ""));
      }
      columns
          .values()
          .forEach(v -> row.add(v.containsKey(u.id()) ? String.valueOf(v.get(u.id())) : ""));
      cells.add(row.toArray(String[]::new));
    }
    return cells;
  }

  private String summary() {
    return universes.size() + " universe(s), " + decisions().size() + " decision(s)";
  }
}
