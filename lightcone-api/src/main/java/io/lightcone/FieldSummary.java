package io.lightcone;

import java.util.List;
import org.immutables.value.Value;

/**
 * One field across the ok universes of {@link Results}: how many, min, median, max, and per
 * decision how far the median moves between its options, largest spread first.
 *
 * <pre>{@code
 * FieldSummary s = results.summary("distance.distance_modulus").orElseThrow();
 * System.out.println(s.median() + " " + s.spreads().get(0).decision());
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface FieldSummary {
  /** The field, {@code output.path}. */
  String field();

  /** How many ok universes hold a number at the field. */
  int count();

  double min();

  /** The middle value; with an even count, the mean of the two middle values. */
  double median();

  double max();

  /** One per decision with at least two options among the ok universes, largest spread first. */
  List<DecisionSpread> spreads();

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link FieldSummary}. */
  final class Builder extends ImmutableFieldSummary.Builder {}
}
