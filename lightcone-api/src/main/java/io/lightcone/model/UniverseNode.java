package io.lightcone.model;

import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A universe's selections for one sub-analysis: inline decisions, or the name of a universe in the
 * sub-analysis's own {@code universes/} directory.
 *
 * <pre>{@code node.decisions().get(DecisionId.of("classifier")); // svm}</pre>
 */
@Value.Immutable
public interface UniverseNode {
  AnalysisId id();

  /** A universe of the sub-analysis's own {@code universes/} directory. */
  Optional<String> universe();

  Map<DecisionId, OptionId> decisions();

  Map<AnalysisId, UniverseNode> analyses();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link UniverseNode}. */
  final class Builder extends ImmutableUniverseNode.Builder {}
}
