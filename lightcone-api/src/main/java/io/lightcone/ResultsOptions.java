package io.lightcone;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What {@code Project.results} reads: fields as {@code output.path} ({@code
 * distance.distance_modulus}, {@code calibration.zero_point.zero_point}; the longest prefix that
 * names an output is the output, the rest is the path into its JSON), which universes, and whether
 * outputs that are not fresh and verified are shown (marked) instead of only listed.
 *
 * <pre>{@code
 * project.results(ResultsOptions.builder().addFields("pl_fit.slope").includeStale(true).build());
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface ResultsOptions {
  /** At least one field, {@code output.path}. */
  List<String> fields();

  /** Universe selectors, as {@code status} takes them; empty means every universe. */
  List<String> universes();

  /** Show the values of stale, failed and tampered outputs too, each row marked with its state. */
  @Value.Default
  default boolean includeStale() {
    return false;
  }

  /**
   * Two paths in the JSON of the first field's output, {@code [low, high]}: the interval drawn
   * around each value (e.g. a confidence interval); empty for none.
   */
  Optional<List<String>> interval();

  @Value.Check
  default void check() {
    if (fields().isEmpty()) {
      throw new IllegalArgumentException(
          "name at least one field as OUTPUT.FIELD, e.g. distance.distance_modulus");
    }
    if (interval().isPresent() && interval().get().size() != 2) {
      throw new IllegalArgumentException(
          "an interval is two fields, low and high, e.g. [mu_low, mu_high]; got "
              + interval().get());
    }
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ResultsOptions}. */
  final class Builder extends ImmutableResultsOptions.Builder {}
}
