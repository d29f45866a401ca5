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

  /** Where a universe comes from. */
  enum Origin {
    /** A file of {@code universes/}. */
    FILE,
    /** Enumerated from the decisions ({@code lc run --multiverse}); its id is {@code mv-...}. */
    ENUMERATED,
    /** The one universe of a project without universe files: every decision at its default. */
    DEFAULT;

    /** {@code file}, {@code enumerated} or {@code default}, as {@code lc status --json} shows. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A universe file's when it has one, else enumerated (the default universe says so). */
  @Value.Default
  default Origin origin() {
    return file().isPresent() ? Origin.FILE : Origin.ENUMERATED;
  }

  /**
   * A name a person can read and type: a universe file's id, or for an enumerated universe its
   * options in tree order joined by {@code -} ({@code theil_sen-v_band-uncorrected}). Option ids
   * have no {@code -}, so the name is unambiguous for a given set of active decisions.
   */
  @Value.Lazy
  default String name() {
    if (origin() != Origin.ENUMERATED || choices().isEmpty()) {
      return id().value();
    }
    return String.join("-", choices().values().stream().map(OptionId::value).toList());
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ResolvedUniverse}. */
  final class Builder extends ImmutableResolvedUniverse.Builder {}
}
