package io.lightcone.model;

/**
 * The id of one piece of evidence of an insight, e.g. {@code EvidenceId.of("ev_planck")}; always a
 * valid ASTRA entity id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record EvidenceId(String value) implements Comparable<EvidenceId> {
  public EvidenceId {
    Identifiers.requireEntityId(value, "evidence");
  }

  public static EvidenceId of(String value) {
    return new EvidenceId(value);
  }

  @Override
  public int compareTo(EvidenceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
