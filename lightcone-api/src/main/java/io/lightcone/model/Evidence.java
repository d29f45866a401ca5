package io.lightcone.model;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * Evidence for an insight: a paper (by DOI) or an artifact of the analysis (by output id), with W3C
 * Web Annotation selectors to anchor it.
 *
 * <pre>{@code evidence.artifact(); // Optional[bias_metric]}</pre>
 */
@Value.Immutable
public interface Evidence {
  EvidenceId id();

  Optional<String> doi();

  /** The output id of an artifact of this analysis. */
  Optional<String> artifact();

  /** Paper version (arXiv versions matter for reproducibility). */
  OptionalInt version();

  Optional<String> snapshot();

  Optional<String> sourceCommit();

  Optional<TextQuote> quote();

  Optional<PageLocation> location();

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Evidence}. */
  final class Builder extends ImmutableEvidence.Builder {}
}
