package io.lightcone;

import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.UniverseId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * One universe's row of {@link Results}: its choices, the numbers read from its metric outputs, and
 * whether those outputs can be trusted.
 *
 * <pre>{@code
 * for (ResultRow r : project.results("distance", "distance_modulus").table()) {
 *   System.out.println(r.universe() + " " + r.value("distance.distance_modulus"));
 * }
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface ResultRow {
  UniverseId universe();

  /** The option the universe chose for each decision, in the table's decision order. */
  Map<QualifiedDecisionId, OptionId> choices();

  /**
   * Field ({@code output.path}) to its number. Only for rows the table shows: a left-out row (not
   * fresh and verified, without {@code includeStale}) has none, so it cannot be mixed in unseen.
   */
  Map<String, Double> values();

  /** The interval of the first field ({@code --interval lo,hi}), where asked and read. */
  Optional<Interval> interval();

  /** The least trustworthy state of the outputs the row reads. */
  State state();

  /** Why the row is not ok, one entry per output or field ({@code distance: stale: ...}). */
  List<String> reasons();

  /** The number at {@code field}, if the row has one. */
  default OptionalDouble value(String field) {
    Double v = values().get(field);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** Whether every output the row reads is fresh, matches its manifest and gave a number. */
  default boolean ok() {
    return state() == State.OK;
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ResultRow}. */
  final class Builder extends ImmutableResultRow.Builder {}

  /**
   * A value's interval, e.g. a confidence interval the output writes beside it.
   *
   * @param low the lower end
   * @param high the upper end
   */
  record Interval(double low, double high) {}

  /** How far a row can be trusted, from most to least; a row takes its worst output's state. */
  enum State {
    /** Fresh ({@code status} ok) and its bytes match its manifest ({@code verify} passed). */
    OK,
    /** Made, but the spec or an input changed since ({@code status} stale). */
    STALE,
    /** The last attempt to make it failed; an older output may still be there. */
    FAILED,
    /** Never made (or its manifest is gone). */
    MISSING,
    /** Its JSON lacks the field, holds something else than a number there, or does not parse. */
    NOT_NUMERIC,
    /** Its bytes or its chain of manifests do not match ({@code verify} failed). */
    TAMPERED;

    /** The lower-case word of the tables and the JSON ({@code not_numeric}). */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
