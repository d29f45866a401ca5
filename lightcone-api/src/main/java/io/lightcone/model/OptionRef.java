package io.lightcone.model;

import java.util.Optional;

/**
 * A reference to one option of a decision, {@code decision.option}, as used by {@code requires},
 * {@code incompatible_with} and {@code when}; the decision part may be a path ({@code
 * sub.decision.option}, {@code ../decision.option}).
 *
 * <pre>{@code OptionRef.parse("scaling.standard").orElseThrow().option()}</pre>
 *
 * @param decision reference to the decision, resolved from the scope that declares this
 * @param option the option's id
 */
public record OptionRef(Ref decision, OptionId option) {

  /** Parses {@code decision.option}; empty when it does not follow the grammar. */
  public static Optional<OptionRef> parse(String text) {
    return Ref.parse(text)
        .filter(r -> r.segments().size() >= 2 && Identifiers.isEntityId(r.target()))
        .map(r -> new OptionRef(r.withoutTarget().orElseThrow(), OptionId.of(r.target())));
  }

  @Override
  public String toString() {
    return decision + "." + option;
  }
}
