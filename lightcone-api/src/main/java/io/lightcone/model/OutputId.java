package io.lightcone.model;

/**
 * The id of an output, unique within its analysis, e.g. {@code OutputId.of("fit")}; always a valid
 * ASTRA entity id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record OutputId(String value) implements Comparable<OutputId> {
  public OutputId {
    Identifiers.requireEntityId(value, "output");
  }

  public static OutputId of(String value) {
    return new OutputId(value);
  }

  @Override
  public int compareTo(OutputId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
