package io.lightcone;

import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import java.util.Map;
import org.immutables.value.Value;

/**
 * How far the median of a field moves between the options of one decision: the median over the ok
 * universes that chose each option, and the spread of those medians (largest minus smallest). The
 * decision with the largest spread is the fork that matters most.
 *
 * <pre>{@code
 * DecisionSpread top = results.summary("distance.distance_modulus").orElseThrow().spreads().get(0);
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface DecisionSpread {
  QualifiedDecisionId decision();

  /** Each option chosen by at least one ok universe, to the median of the field over those. */
  Map<OptionId, Double> medians();

  /** How many ok universes chose each option. */
  Map<OptionId, Integer> counts();

  /** The largest per-option median minus the smallest; 0 with a single option. */
  @Value.Derived
  default double spread() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double m : medians().values()) {
      min = Math.min(min, m);
      max = Math.max(max, m);
    }
    return medians().isEmpty() ? 0 : max - min;
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DecisionSpread}. */
  final class Builder extends ImmutableDecisionSpread.Builder {}
}
