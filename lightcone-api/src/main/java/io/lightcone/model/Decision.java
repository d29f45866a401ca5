package io.lightcone.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A methodological decision with its options (in declaration order), or, with {@code from:}, a pure
 * alias of an ancestor's decision.
 *
 * <pre>{@code decision.options().keySet(); decision.defaultOption(); // Optional[ols]}</pre>
 */
@Value.Immutable
public interface Decision {
  DecisionId id();

  /** Required unless the decision is an alias. */
  Optional<String> label();

  Optional<String> rationale();

  List<String> tags();

  /** The option a universe gets when it does not choose. */
  Optional<OptionId> defaultOption();

  Map<OptionId, Option> options();

  /** {@code ../id} or further up: the ancestor decision this one aliases. */
  Optional<Ref> from();

  /** Conditions, AND-ed, under which the decision is active in a universe. */
  List<Condition> when();

  default boolean isAlias() {
    return from().isPresent();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Decision}. */
  final class Builder extends ImmutableDecision.Builder {}
}
