package io.lightcone;

import java.util.List;
import org.immutables.value.Value;

/**
 * What to plan: which universes, which outputs, what to force.
 *
 * <pre>{@code
 * project.plan(PlanOptions.builder().addUniverses("baseline").addTargets("pl_fit").force(true).build());
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface PlanOptions {
  /** Universe ids; empty means every universe file (or the whole multiverse). */
  List<String> universes();

  /** Plan the full multiverse (every valid option combination) instead of universe files. */
  @Value.Default
  default boolean multiverse() {
    return false;
  }

  /**
   * With {@link #multiverse()}: plan only this many universes of it, a reproducible random subset
   * that {@link #seed()} picks (the same on every machine; see docs/multiverse.md).
   */
  java.util.OptionalInt sample();

  /** The seed of {@link #sample()}. */
  @Value.Default
  default long seed() {
    return 0;
  }

  /**
   * Outputs to make, by id or qualified id ({@code calibration.zero_point}), with everything they
   * need; empty means every output.
   */
  List<String> targets();

  /** Run the targets even when they are fresh (not their upstreams). */
  @Value.Default
  default boolean force() {
    return false;
  }

  /** Run every planned task even when fresh. */
  @Value.Default
  default boolean forceAll() {
    return false;
  }

  static PlanOptions defaults() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link PlanOptions}. */
  final class Builder extends ImmutablePlanOptions.Builder {}
}
