package io.lightcone.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An output of an analysis: produced here by a {@link Recipe} from {@code inputs} under {@code
 * decisions}, or, with {@code from:}, re-exported from a sub-analysis.
 *
 * <pre>{@code
 * Output fit = Output.builder().id(OutputId.of("fit")).type(OutputType.METRIC)
 *     .recipe(Recipe.of("python3 fit.py {output}")).build();
 * }</pre>
 */
@Value.Immutable
public interface Output {
  OutputId id();

  Optional<String> label();

  /** Absent exactly when the output is a re-export. */
  Optional<OutputType> type();

  Optional<String> description();

  /**
   * The artifact's file extension without the dot ({@code csv}, {@code png}, {@code nc}), as ASTRA
   * 0.0.14 declares it; absent on re-exports and in projects written before it.
   */
  Optional<String> format();

  /** Upstream artifacts: local input or output ids, or qualified {@code sub.output} ids. */
  List<Ref> inputs();

  /** Decisions (in this analysis's scope) that parameterise the output. */
  List<DecisionId> decisions();

  /** Conditions, AND-ed, under which the output exists in a universe. */
  List<Condition> when();

  Optional<Recipe> recipe();

  /** {@code child.output} or deeper: the sub-analysis output this one re-exports. */
  Optional<Ref> from();

  default boolean isAlias() {
    return from().isPresent();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Output}. */
  final class Builder extends ImmutableOutput.Builder {}
}
