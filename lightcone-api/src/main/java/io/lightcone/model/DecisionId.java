package io.lightcone.model;

/**
 * The id of a decision point, unique within its analysis, e.g. {@code DecisionId.of("fit_method")};
 * always a valid ASTRA entity id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record DecisionId(String value) implements Comparable<DecisionId> {
  public DecisionId {
    Identifiers.requireEntityId(value, "decision");
  }

  public static DecisionId of(String value) {
    return new DecisionId(value);
  }

  @Override
  public int compareTo(DecisionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
