package io.lightcone.model;

/**
 * An output named from the root: {@code calibration.calibrated_pdfs}, or {@code fit} for a root
 * output.
 *
 * <pre>{@code QualifiedOutputId.parse("calibration.calibrated_pdfs").output()}</pre>
 *
 * @param analysis the analysis that declares the output
 * @param output the output's id within that analysis
 */
public record QualifiedOutputId(AnalysisPath analysis, OutputId output)
    implements Comparable<QualifiedOutputId> {

  public static QualifiedOutputId parse(String qualified) {
    int dot = qualified.lastIndexOf('.');
    return new QualifiedOutputId(
        AnalysisPath.parse(dot < 0 ? "" : qualified.substring(0, dot)),
        OutputId.of(qualified.substring(dot + 1)));
  }

  @Override
  public int compareTo(QualifiedOutputId other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return analysis.qualify(output.value());
  }
}
