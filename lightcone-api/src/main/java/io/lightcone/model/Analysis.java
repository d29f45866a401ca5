package io.lightcone.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One level of the self-similar ASTRA analysis tree: inputs, outputs, decisions, insights and
 * nested sub-analyses (inline, or loaded from a {@code path:} directory with its own {@code
 * astra.yaml}).
 *
 * <pre>{@code
 * Analysis root = project.analysis();
 * root.analyses().get(AnalysisId.of("calibration")).outputs();
 * }</pre>
 */
@Value.Immutable
public interface Analysis {
  AnalysisId id();

  /** The ASTRA specification version the file was written for. */
  Optional<String> version();

  Optional<String> name();

  Optional<String> description();

  List<String> tags();

  List<Input> inputs();

  List<Output> outputs();

  /** Decisions in declaration order. */
  Map<DecisionId, Decision> decisions();

  Map<InsightId, Insight> priorInsights();

  Map<InsightId, Insight> findings();

  /** Default container for the recipes of this analysis and its sub-analyses. */
  Optional<String> container();

  /**
   * For a sub-analysis kept in its own directory: that directory as written, relative to the
   * parent's directory; its content is loaded into this value.
   */
  Optional<String> path();

  /** Sub-analyses in declaration order. */
  Map<AnalysisId, Analysis> analyses();

  default Optional<Input> input(InputId id) {
    return inputs().stream().filter(i -> i.id().equals(id)).findFirst();
  }

  default Optional<Output> output(OutputId id) {
    return outputs().stream().filter(o -> o.id().equals(id)).findFirst();
  }

  /** The analysis at {@code path} below this one, if there is one. */
  default Optional<Analysis> find(AnalysisPath path) {
    Analysis at = this;
    for (AnalysisId id : path.ids()) {
      at = at.analyses().get(id);
      if (at == null) {
        return Optional.empty();
      }
    }
    return Optional.of(at);
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Analysis}. */
  final class Builder extends ImmutableAnalysis.Builder {}
}
