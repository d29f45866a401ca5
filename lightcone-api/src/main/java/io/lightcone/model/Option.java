package io.lightcone.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One option of a {@link Decision}, with the constraints it puts on other decisions.
 *
 * <pre>{@code option.requires(); // [scaling.standard]}</pre>
 */
@Value.Immutable
public interface Option {
  OptionId id();

  String label();

  Optional<String> description();

  /** Insights (prior insights of the analysis tree) that support this option. */
  List<InsightId> insights();

  /** Options that may not be selected together with this one. */
  List<OptionRef> incompatibleWith();

  /** Options that must also be selected when this one is. */
  List<OptionRef> requires();

  /** Considered and rejected: no universe may select it. */
  @Value.Default
  default boolean excluded() {
    return false;
  }

  Optional<String> excludedReason();

  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Option}. */
  final class Builder extends ImmutableOption.Builder {}
}
