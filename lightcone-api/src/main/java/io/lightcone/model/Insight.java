package io.lightcone.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A unit of scientific knowledge backed by evidence: a prior insight that informs decisions, or a
 * finding drawn from outputs.
 *
 * <pre>{@code insight.evidence().get(0).doi(); // Optional[10.1051/...]}</pre>
 */
@Value.Immutable
public interface Insight {
  InsightId id();

  Optional<String> label();

  String claim();

  /** ISO 8601 date-time as written. */
  String createdAt();

  List<Evidence> evidence();

  Optional<Boolean> derived();

  Optional<String> scope();

  List<String> tags();

  Optional<String> notes();

  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Insight}. */
  final class Builder extends ImmutableInsight.Builder {}
}
