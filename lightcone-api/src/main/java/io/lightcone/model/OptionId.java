package io.lightcone.model;

/**
 * The id of one option of a decision, e.g. {@code OptionId.of("robust")}; always a valid ASTRA
 * entity id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record OptionId(String value) implements Comparable<OptionId> {
  public OptionId {
    Identifiers.requireEntityId(value, "option");
  }

  public static OptionId of(String value) {
    return new OptionId(value);
  }

  @Override
  public int compareTo(OptionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
