package io.lightcone.model;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A universe after validation: the option of every active decision of the tree, keyed by the
 * decision that owns it (aliases resolved), with defaults filled in.
 *
 * <pre>{@code
 * ResolvedUniverse u = project.universe("baseline");
 * u.choice(QualifiedDecisionId.parse("classification.classifier")); // Optional[logistic]
 * }</pre>
 */
@Value.Immutable
public interface ResolvedUniverse {
  UniverseId id();

  /** The universe as written, or empty for one the planner enumerated. */
  Optional<Universe> declared();

  /** The file it came from, relative to the project, with {@code /} separators. */
  Optional<String> file();

  /** Every active decision's option, in tree order. */
  Map<QualifiedDecisionId, OptionId> choices();

  /** The decisions whose option came from their default. */
  Set<QualifiedDecisionId> defaulted();

  default Optional<OptionId> choice(QualifiedDecisionId decision) {
    return Optional.ofNullable(choices().get(decision));
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ResolvedUniverse}. */
  final class Builder extends ImmutableResolvedUniverse.Builder {}
}
