package io.lightcone.model;

import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A universe file as written: one option per root decision, and selections for sub-analyses.
 * Decisions it leaves out take their default; see {@link ResolvedUniverse} for the full choice.
 *
 * <pre>{@code universe.decisions().get(DecisionId.of("fit_method")); // ols}</pre>
 */
@Value.Immutable
public interface Universe {
  UniverseId id();

  Optional<String> description();

  Map<DecisionId, OptionId> decisions();

  Map<AnalysisId, UniverseNode> analyses();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Universe}. */
  final class Builder extends ImmutableUniverse.Builder {}
}
