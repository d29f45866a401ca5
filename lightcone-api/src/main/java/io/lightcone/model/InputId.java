package io.lightcone.model;

/**
 * The id of an analysis input, e.g. {@code InputId.of("raw_catalog")}; always a valid ASTRA entity
 * id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record InputId(String value) implements Comparable<InputId> {
  public InputId {
    Identifiers.requireEntityId(value, "input");
  }

  public static InputId of(String value) {
    return new InputId(value);
  }

  @Override
  public int compareTo(InputId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
