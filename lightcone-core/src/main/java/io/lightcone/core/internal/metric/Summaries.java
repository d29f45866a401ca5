package io.lightcone.core.internal.metric;

import io.lightcone.DecisionSpread;
import io.lightcone.FieldSummary;
import io.lightcone.ResultRow;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The summaries of {@code lc results}: the one place their formulas live. */
final class Summaries {
  private Summaries() {}

  /**
   * {@code field} over {@code rows} (the ok ones): count, min, median, max, and per decision the
   * medians of each option and their spread, largest first (ties: decision order). Empty when no
   * row holds a number for the field.
   *
   * @param options each decision's options in declaration order, for a stable column order
   */
  static Optional<FieldSummary> of(
      String field,
      List<ResultRow> rows,
      List<QualifiedDecisionId> decisions,
      Function<QualifiedDecisionId, List<OptionId>> options) {
    List<Double> all = new ArrayList<>();
    for (ResultRow r : rows) {
      r.value(field).ifPresent(all::add);
    }
    if (all.isEmpty()) {
      return Optional.empty();
    }
    List<DecisionSpread> spreads = new ArrayList<>();
    for (QualifiedDecisionId d : decisions) {
      Map<OptionId, List<Double>> byOption = new LinkedHashMap<>();
      for (OptionId o : options.apply(d)) {
        byOption.put(o, new ArrayList<>());
      }
      for (ResultRow r : rows) {
        OptionId o = r.choices().get(d);
        if (o != null && r.value(field).isPresent()) {
          byOption.computeIfAbsent(o, k -> new ArrayList<>()).add(r.value(field).getAsDouble());
        }
      }
      byOption.values().removeIf(List::isEmpty);
      if (byOption.size() < 2) {
        continue; // a decision every universe answers alike cannot move anything
      }
      DecisionSpread.Builder s = DecisionSpread.builder().decision(d);
      byOption.forEach(
          (o, values) -> {
            s.putMedian(o, median(values));
            s.putCount(o, values.size());
          });
      spreads.add(s.build());
    }
    // Stable: equal spreads keep the decision order.
    spreads.sort(Comparator.comparingDouble(DecisionSpread::spread).reversed());
    return Optional.of(
        FieldSummary.builder()
            .field(field)
            .count(all.size())
            .min(all.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
            .median(median(all))
            .max(all.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
            .spreads(spreads)
            .build());
  }

  /** The middle value of {@code values}; with an even count, the mean of the two middle ones. */
  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
