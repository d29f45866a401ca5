package io.lightcone.model;

/**
 * The id of an analysis or sub-analysis, e.g. {@code AnalysisId.of("calibration")}; always a valid
 * ASTRA entity id.
 *
 * @param value the id as written in {@code astra.yaml}
 */
public record AnalysisId(String value) implements Comparable<AnalysisId> {
  public AnalysisId {
    Identifiers.requireEntityId(value, "analysis");
  }

  public static AnalysisId of(String value) {
    return new AnalysisId(value);
  }

  @Override
  public int compareTo(AnalysisId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
