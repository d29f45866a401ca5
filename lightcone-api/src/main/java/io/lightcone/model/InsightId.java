package io.lightcone.model;

/**
 * The id of a prior insight or finding, e.g. {@code InsightId.of("nn_performance")}; always a valid
 * ASTRA entity id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record InsightId(String value) implements Comparable<InsightId> {
  public InsightId {
    Identifiers.requireEntityId(value, "insight");
  }

  public static InsightId of(String value) {
    return new InsightId(value);
  }

  @Override
  public int compareTo(InsightId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
