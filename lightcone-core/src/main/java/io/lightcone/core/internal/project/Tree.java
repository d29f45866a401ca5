package io.lightcone.core.internal.project;

import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisId;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Input;
import io.lightcone.model.Output;
import io.lightcone.model.OutputId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.Ref;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis tree flattened by path, with the resolution rules of ASTRA's path grammar: {@code
 * ../} escapes a scope, dots descend into sub-analyses, and aliases ({@code from:}) are followed to
 * the element that owns the content.
 */
public final class Tree {
  private final Map<AnalysisPath, Analysis> analyses = new LinkedHashMap<>();

  public Tree(Analysis root) {
    add(AnalysisPath.ROOT, root);
  }

  private void add(AnalysisPath at, Analysis a) {
    analyses.put(at, a);
    a.analyses().forEach((id, sub) -> add(at.child(id), sub));
  }

  /** Every analysis by path, root first, in declaration order (depth first). */
  public Map<AnalysisPath, Analysis> analyses() {
    return analyses;
  }

  public Analysis at(AnalysisPath path) {
    Analysis a = analyses.get(path);
    if (a == null) {
      throw new IllegalArgumentException("no analysis at '" + path + "'");
    }
    return a;
  }

  /** The outcome of resolving a reference: a value, or a sentence saying why not. */
  public record Resolved<T>(Optional<T> value, String why) {
    static <T> Resolved<T> of(T value) {
      return new Resolved<>(Optional.of(value), "");
    }

    static <T> Resolved<T> fail(String why) {
      return new Resolved<>(Optional.empty(), why);
    }

    <U> Resolved<U> then(java.util.function.Function<T, Resolved<U>> next) {
      return value.isPresent() ? next.apply(value.get()) : fail(why);
    }
  }

  /**
   * The analysis whose element {@code ref} names, seen from {@code from}: up {@code ref.up()}
   * scopes, then down through {@code ref.scopes()}.
   */
  Resolved<AnalysisPath> scopeOf(AnalysisPath from, Ref ref) {
    if (ref.up() > from.depth()) {
      return Resolved.fail(
          "'"
              + ref
              + "' goes "
              + ref.up()
              + " level(s) up from "
              + name(from)
              + ", above the root analysis");
    }
    AnalysisPath at = from;
    for (int i = 0; i < ref.up(); i++) {
      at = at.parent();
    }
    for (String s : ref.scopes()) {
      Analysis a = analyses.get(at);
      Optional<AnalysisId> child =
          a.analyses().keySet().stream().filter(id -> id.value().equals(s)).findFirst();
      if (child.isEmpty()) {
        return Resolved.fail(
            name(at)
                + " has no sub-analysis '"
                + s
                + "'"
                + Suggest.hint(s, a.analyses().keySet().stream().map(AnalysisId::value).toList()));
      }
      at = at.child(child.get());
    }
    return Resolved.of(at);
  }

  /**
   * The decision that owns the content of decision {@code id} of {@code scope}, aliases followed.
   */
  public Resolved<QualifiedDecisionId> decisionOwner(AnalysisPath scope, String id) {
    Analysis a = analyses.get(scope);
    Decision d = findDecision(a, id);
    if (d == null) {
      return Resolved.fail(
          name(scope)
              + " has no decision '"
              + id
              + "'"
              + Suggest.hint(id, a.decisions().keySet().stream().map(DecisionId::value).toList()));
    }
    if (d.from().isEmpty()) {
      return Resolved.of(new QualifiedDecisionId(scope, d.id()));
    }
    Ref from = d.from().get();
    return scopeOf(scope, from).then(s -> decisionOwner(s, from.target()));
  }

  public Decision decision(QualifiedDecisionId id) {
    return at(id.analysis()).decisions().get(id.decision());
  }

  /** Resolves a decision reference (e.g. of a {@code when} or {@code requires}) to its owner. */
  Resolved<QualifiedDecisionId> decisionRef(AnalysisPath from, Ref ref) {
    return scopeOf(from, ref).then(s -> decisionOwner(s, ref.target()));
  }

  /** What an input or an output's input reference leads to, after following aliases. */
  public sealed interface Source permits ExternalInput, ProducedOutput {}

  /** An input declared with a type (data or analysis): outside the project's outputs. */
  public record ExternalInput(AnalysisPath analysis, Input input) implements Source {}

  /** An output of the tree (possibly itself a re-export; see {@link #outputProducer}). */
  public record ProducedOutput(QualifiedOutputId output) implements Source {}

  /** Follows input {@code id} of {@code scope} through its {@code from:} chain. */
  public Resolved<Source> inputSource(AnalysisPath scope, String id) {
    Analysis a = analyses.get(scope);
    Optional<Input> input = findInput(a, id);
    if (input.isEmpty()) {
      return Resolved.fail(name(scope) + " has no input '" + id + "'");
    }
    if (input.get().from().isEmpty()) {
      return Resolved.of(new ExternalInput(scope, input.get()));
    }
    Ref from = input.get().from().get();
    return scopeOf(scope, from)
        .then(
            s -> {
              if (from.scopes().isEmpty()) {
                Analysis target = analyses.get(s);
                if (findInput(target, from.target()).isEmpty()
                    && findOutput(target, from.target()).isPresent()) {
                  return Resolved.fail(
                      "'"
                          + from.target()
                          + "' is an output of "
                          + name(s)
                          + "; a sub-analysis cannot use an output of an enclosing analysis,"
                          + " only its inputs");
                }
                return inputSource(s, from.target());
              }
              // The path may wander, but its end must be up or in a sibling branch, as above.
              if (startsWith(scope, s)) {
                return Resolved.fail(
                    "'"
                        + from
                        + "' leads to an output of "
                        + name(s)
                        + (s.equals(scope)
                            ? ", the input's own analysis; an input cannot alias an output of its"
                                + " own analysis — list '"
                                + from.target()
                                + "' in the consuming output's inputs instead"
                            : "; a sub-analysis cannot use an output of an enclosing analysis,"
                                + " only its inputs"));
              }
              if (startsWith(s, scope)) {
                return Resolved.fail(
                    "'"
                        + from
                        + "' reaches down into "
                        + name(s)
                        + "; an input reaches up or into a sibling — to use an output of a"
                        + " sub-analysis, list '"
                        + new AnalysisPath(s.ids().subList(scope.depth(), s.depth()))
                            .qualify(from.target())
                        + "' in an output's inputs");
              }
              return output(s, from.target())
                  .then(o -> Resolved.of((Source) new ProducedOutput(o)));
            });
  }

  /** Whether {@code path} is {@code prefix} or lies below it. */
  private static boolean startsWith(AnalysisPath path, AnalysisPath prefix) {
    return path.depth() >= prefix.depth()
        && path.ids().subList(0, prefix.depth()).equals(prefix.ids());
  }

  /**
   * What an entry of {@code Output.inputs} names, seen from {@code scope}: a local input (followed
   * through its aliases), a sibling output, or {@code sub.output}.
   */
  public Resolved<Source> outputInput(AnalysisPath scope, Ref ref) {
    if (ref.isLocal()) {
      Analysis a = analyses.get(scope);
      String id = ref.target();
      if (findInput(a, id).isPresent()) {
        return inputSource(scope, id);
      }
      if (findOutput(a, id).isPresent()) {
        return Resolved.of(new ProducedOutput(new QualifiedOutputId(scope, OutputId.of(id))));
      }
      java.util.List<String> known = new java.util.ArrayList<>();
      a.inputs().forEach(i -> known.add(i.id().value()));
      a.outputs().forEach(o -> known.add(o.id().value()));
      return Resolved.fail(
          name(scope) + " has no input or output '" + id + "'" + Suggest.hint(id, known));
    }
    return scopeOf(scope, ref)
        .then(s -> output(s, ref.target()))
        .then(o -> Resolved.of(new ProducedOutput(o)));
  }

  private Resolved<QualifiedOutputId> output(AnalysisPath scope, String id) {
    Analysis a = analyses.get(scope);
    if (findOutput(a, id).isEmpty()) {
      return Resolved.fail(
          name(scope)
              + " has no output '"
              + id
              + "'"
              + Suggest.hint(id, a.outputs().stream().map(o -> o.id().value()).toList()));
    }
    return Resolved.of(new QualifiedOutputId(scope, OutputId.of(id)));
  }

  public Output output(QualifiedOutputId id) {
    return at(id.analysis()).output(id.output()).orElseThrow();
  }

  /**
   * The output that actually produces {@code id}: {@code id} itself, or the end of its re-exports.
   */
  public Resolved<QualifiedOutputId> outputProducer(QualifiedOutputId id) {
    Output o = output(id);
    if (o.from().isEmpty()) {
      return Resolved.of(id);
    }
    Ref from = o.from().get();
    return scopeOf(id.analysis(), from)
        .then(s -> output(s, from.target()))
        .then(this::outputProducer);
  }

  /** How messages name an analysis: {@code the root analysis} or {@code sub-analysis 'a.b'}. */
  static String name(AnalysisPath at) {
    return at.isRoot() ? "the root analysis" : "sub-analysis '" + at + "'";
  }

  static Decision findDecision(Analysis a, String id) {
    for (Map.Entry<DecisionId, Decision> e : a.decisions().entrySet()) {
      if (e.getKey().value().equals(id)) {
        return e.getValue();
      }
    }
    return null;
  }

  static Optional<Input> findInput(Analysis a, String id) {
    return a.inputs().stream().filter(i -> i.id().value().equals(id)).findFirst();
  }

  static Optional<Output> findOutput(Analysis a, String id) {
    return a.outputs().stream().filter(o -> o.id().value().equals(id)).findFirst();
  }
}
