package io.lightcone.model;

import java.util.Optional;

/**
 * One {@code when:} condition: the element is active only when the option is selected, or, with
 * {@code ~}, only when it is not. A list of conditions is AND-ed.
 *
 * <pre>{@code Condition.parse("~method.neural_net").orElseThrow().negated(); // true}</pre>
 *
 * @param negated whether the condition was written with a leading {@code ~}
 * @param option the decision and option it tests
 */
public record Condition(boolean negated, OptionRef option) {

  public static Optional<Condition> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean negated = text.startsWith("~");
    return OptionRef.parse(negated ? text.substring(1) : text).map(o -> new Condition(negated, o));
  }

  @Override
  public String toString() {
    return (negated ? "~" : "") + option;
  }
}
