package io.lightcone.model;

/**
 * A decision named from the root: {@code classification.classifier}, or {@code model} for a root
 * decision.
 *
 * <pre>{@code QualifiedDecisionId.parse("classification.classifier")}</pre>
 *
 * @param analysis the analysis that declares the decision
 * @param decision the decision's id within that analysis
 */
public record QualifiedDecisionId(AnalysisPath analysis, DecisionId decision)
    implements Comparable<QualifiedDecisionId> {

  public static QualifiedDecisionId parse(String qualified) {
    int dot = qualified.lastIndexOf('.');
    return new QualifiedDecisionId(
        AnalysisPath.parse(dot < 0 ? "" : qualified.substring(0, dot)),
        DecisionId.of(qualified.substring(dot + 1)));
  }

  @Override
  public int compareTo(QualifiedDecisionId other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return analysis.qualify(decision.value());
  }
}
