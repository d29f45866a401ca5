package io.lightcone.core.internal.project;

import io.lightcone.core.internal.project.SourceIndex.Kind;
import io.lightcone.core.internal.project.Tree.ProducedOutput;
import io.lightcone.core.internal.project.Tree.Resolved;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YSeq;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Condition;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Evidence;
import io.lightcone.model.Input;
import io.lightcone.model.Insight;
import io.lightcone.model.InsightId;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.OptionRef;
import io.lightcone.model.Output;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.Ref;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic stage: what the schema cannot say. Ids are unique, every reference resolves ({@code
 * from:}, inputs, {@code when}, {@code requires}, {@code incompatible_with}, insights, evidence
 * artifacts), recipe placeholders name declared items, and outputs form no cycle.
 */
final class SemanticValidator {
  private final Tree tree;
  private final SourceIndex index;
  private final Problems problems;

  SemanticValidator(Tree tree, SourceIndex index, Problems problems) {
    this.tree = tree;
    this.index = index;
    this.problems = problems;
  }

  void run() {
    tree.analyses().forEach(this::checkAnalysis);
    checkOutputCycles();
    checkOutputDirectories();
  }

  /**
   * Outputs of the root and of inline sub-analyses share {@code results/<universe>/}: two with
   * recipes and the same id would overwrite each other.
   */
  private void checkOutputDirectories() {
    Map<String, QualifiedOutputId> seen = new HashMap<>();
    tree.analyses()
        .forEach(
            (at, a) -> {
              AnalysisPath file = at;
              while (!file.isRoot() && tree.at(file).path().isEmpty()) {
                file = file.parent();
              }
              for (Output o : a.outputs()) {
                if (o.recipe().isEmpty() || o.from().isPresent()) {
                  continue;
                }
                QualifiedOutputId id = new QualifiedOutputId(at, o.id());
                QualifiedOutputId other = seen.putIfAbsent(file + "/" + o.id(), id);
                if (other != null) {
                  Site s = index.get(at, Kind.OUTPUT, o.id().value());
                  problems.error(
                      s.key("id"),
                      s.path("id"),
                      "outputs '"
                          + other
                          + "' and '"
                          + id
                          + "' would both be written to"
                          + " results/<universe>/"
                          + o.id()
                          + "/ (inline sub-analyses share"
                          + " their parent's results directory); rename one");
                }
              }
            });
  }

  private void checkAnalysis(AnalysisPath at, Analysis a) {
    Site site = index.get(at, Kind.ANALYSIS, "");
    checkUniqueIds(site, at);
    for (Input input : a.inputs()) {
      Site s = index.get(at, Kind.INPUT, input.id().value());
      if (input.from().isPresent()) {
        Resolved<Tree.Source> r = tree.inputSource(at, input.id().value());
        if (r.value().isEmpty()) {
          problems.error(
              s.value("from"),
              s.path("from"),
              "from: '"
                  + input.from().get()
                  + "' of "
                  + s.what()
                  + " does not resolve: "
                  + r.why());
        }
      }
    }
    for (Output output : a.outputs()) {
      checkOutput(at, output);
    }
    for (Decision decision : a.decisions().values()) {
      checkDecision(at, decision);
    }
    a.priorInsights().values().forEach(i -> checkInsight(at, i));
    a.findings().values().forEach(i -> checkInsight(at, i));
    Set<String> shared = new LinkedHashSet<>();
    a.priorInsights()
        .keySet()
        .forEach(
            id -> {
              if (a.findings().containsKey(id)) {
                shared.add(id.value());
              }
            });
    for (String id : shared) {
      Site s = index.get(at, Kind.ANALYSIS, "");
      problems.error(
          s.entryOf("findings", id),
          s.path("findings") + "." + id,
          "insight id '"
              + id
              + "' is used both in prior_insights and in findings of "
              + Tree.name(at)
              + "; rename one");
    }
  }

  /** Inputs and outputs share one namespace: {@code Output.inputs} may name either. */
  private void checkUniqueIds(Site site, AnalysisPath at) {
    Map<String, Mark> seen = new HashMap<>();
    for (String list : List.of("inputs", "outputs")) {
      Optional<YNode> seq = site.map().get(list).filter(YSeq.class::isInstance);
      if (seq.isEmpty()) {
        continue;
      }
      List<YNode> items = ((YSeq) seq.get()).items();
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof YMap m)
            || !(m.get("id").orElse(null) instanceof YScalar id)) {
          continue;
        }
        Mark first = seen.putIfAbsent(id.text(), id.mark());
        if (first != null) {
          problems.error(
              id.mark(),
              site.path(list, i) + ".id",
              "id '"
                  + id.text()
                  + "' is declared twice in "
                  + Tree.name(at)
                  + " (first at line "
                  + first.line()
                  + "); inputs and outputs of one analysis need distinct ids");
        }
      }
    }
  }

  private void checkOutput(AnalysisPath at, Output output) {
    Site s = index.get(at, Kind.OUTPUT, output.id().value());
    QualifiedOutputId self = new QualifiedOutputId(at, output.id());
    checkConditions(at, s, output.when());
    if (output.from().isPresent()) {
      Resolved<QualifiedOutputId> r = tree.outputProducer(self);
      if (r.value().isEmpty()) {
        problems.error(
            s.value("from"),
            s.path("from"),
            "from: '" + output.from().get() + "' of " + s.what() + " does not resolve: " + r.why());
      }
      return;
    }
    for (int i = 0; i < output.inputs().size(); i++) {
      Ref ref = output.inputs().get(i);
      if (ref.isLocal() && ref.target().equals(output.id().value())) {
        problems.error(
            s.item("inputs", i), s.path("inputs", i), s.what() + " lists itself as an input");
        continue;
      }
      if (ref.isLocal() && Tree.findInput(tree.at(at), ref.target()).isPresent()) {
        continue; // the input's own from: chain is checked, and reported, at the input
      }
      Resolved<Tree.Source> r = tree.outputInput(at, ref);
      if (r.value().isEmpty()) {
        problems.error(
            s.item("inputs", i),
            s.path("inputs", i),
            "input '" + ref + "' of " + s.what() + " does not resolve: " + r.why());
      }
    }
    Analysis a = tree.at(at);
    for (int i = 0; i < output.decisions().size(); i++) {
      DecisionId d = output.decisions().get(i);
      if (!a.decisions().containsKey(d)) {
        problems.error(
            s.item("decisions", i),
            s.path("decisions", i),
            "decision '"
                + d
                + "' of "
                + s.what()
                + " is not declared in "
                + Tree.name(at)
                + Suggest.hint(
                    d.value(), a.decisions().keySet().stream().map(DecisionId::value).toList())
                + (at.isRoot()
                    ? ""
                    : "; to use an enclosing decision, declare it here with from: ../" + d));
      }
    }
    if (output.recipe().isPresent()) {
      checkPlaceholders(s, output);
    } else {
      problems.warning(
          s.at(),
          s.path(),
          s.what() + " has no recipe and no 'from', so nothing produces it; add a recipe");
    }
  }

  private void checkPlaceholders(Site s, Output output) {
    String command = output.recipe().orElseThrow().command();
    Site recipe =
        s.map()
            .get("recipe")
            .filter(YMap.class::isInstance)
            .map(m -> new Site((YMap) m, s.path("recipe"), "recipe of " + s.what()))
            .orElse(s);
    Mark at = recipe.value("command");
    String key = recipe.path("command");
    List<String> inputs = output.inputs().stream().map(Ref::toString).toList();
    List<String> decisions = output.decisions().stream().map(DecisionId::value).toList();
    for (Placeholders.Token t : Placeholders.scan(command)) {
      switch (t.kind()) {
        case UNCLOSED ->
            problems.error(
                at,
                key,
                "recipe of "
                    + s.what()
                    + ": '{' at character "
                    + (t.offset() + 1)
                    + " is never closed; write {{ for a literal '{'");
        case STRAY_CLOSE ->
            problems.error(
                at,
                key,
                "recipe of "
                    + s.what()
                    + ": '}' at character "
                    + (t.offset() + 1)
                    + " closes nothing; write }} for a literal '}'");
        case PLACEHOLDER -> checkPlaceholder(at, key, s, t.name(), inputs, decisions);
        default -> {}
      }
    }
  }

  private void checkPlaceholder(
      Mark at, String key, Site s, String name, List<String> inputs, List<String> decisions) {
    if (name.equals("output") || name.equals("inputs")) {
      return;
    }
    if (name.startsWith("inputs.")) {
      String id = name.substring("inputs.".length());
      if (!inputs.contains(id)) {
        problems.error(
            at,
            key,
            "placeholder {"
                + name
                + "} in the recipe of "
                + s.what()
                + ": '"
                + id
                + "' is not among its inputs"
                + (inputs.isEmpty() ? " (it has none)" : " (" + String.join(", ", inputs) + ")")
                + Suggest.hint(id, inputs)
                + "; add it to 'inputs'");
      }
      return;
    }
    if (name.startsWith("decisions.")) {
      String id = name.substring("decisions.".length());
      if (!decisions.contains(id)) {
        problems.error(
            at,
            key,
            "placeholder {"
                + name
                + "} in the recipe of "
                + s.what()
                + ": '"
                + id
                + "' is not among its decisions"
                + (decisions.isEmpty()
                    ? " (it has none)"
                    : " (" + String.join(", ", decisions) + ")")
                + Suggest.hint(id, decisions)
                + "; add it to 'decisions'");
      }
      return;
    }
    problems.error(
        at,
        key,
        "unknown placeholder {"
            + name
            + "} in the recipe of "
            + s.what()
            + Suggest.hint(name, List.of("output", "inputs"))
            + "; use {output}, {inputs}, {inputs.<id>} or {decisions.<id>}, and {{ }} for literal"
            + " braces (e.g. ${{HOME}} for the shell's ${HOME})");
  }

  private void checkDecision(AnalysisPath at, Decision decision) {
    Site s = index.get(at, Kind.DECISION, decision.id().value());
    checkConditions(at, s, decision.when());
    if (decision.from().isPresent()) {
      Resolved<QualifiedDecisionId> r = tree.decisionOwner(at, decision.id().value());
      if (r.value().isEmpty()) {
        problems.error(
            s.value("from"),
            s.path("from"),
            "from: '"
                + decision.from().get()
                + "' of "
                + s.what()
                + " does not resolve: "
                + r.why());
      }
      return;
    }
    QualifiedDecisionId self = new QualifiedDecisionId(at, decision.id());
    for (Option option : decision.options().values()) {
      Site os = index.get(at, Kind.OPTION, decision.id() + "." + option.id());
      checkConstraint(at, os, self, option, "requires", option.requires());
      checkConstraint(at, os, self, option, "incompatible_with", option.incompatibleWith());
      for (int i = 0; i < option.insights().size(); i++) {
        InsightId insight = option.insights().get(i);
        if (!insightVisible(at, insight)) {
          problems.error(
              os.item("insights", i),
              os.path("insights", i),
              "insight '"
                  + insight
                  + "' of "
                  + os.what()
                  + " is not declared in prior_insights or findings of "
                  + Tree.name(at)
                  + " or an enclosing analysis");
        }
      }
    }
  }

  private boolean insightVisible(AnalysisPath at, InsightId id) {
    AnalysisPath p = at;
    while (true) {
      Analysis a = tree.at(p);
      if (a.priorInsights().containsKey(id) || a.findings().containsKey(id)) {
        return true;
      }
      if (p.isRoot()) {
        return false;
      }
      p = p.parent();
    }
  }

  private void checkConstraint(
      AnalysisPath at,
      Site os,
      QualifiedDecisionId self,
      Option option,
      String key,
      List<OptionRef> refs) {
    for (int i = 0; i < refs.size(); i++) {
      OptionRef ref = refs.get(i);
      Optional<QualifiedDecisionId> owner = resolveOption(at, os, key, i, ref);
      if (owner.isPresent()
          && owner.get().equals(self)
          && key.equals("requires")
          && !ref.option().equals(option.id())) {
        problems.error(
            os.item(key, i),
            os.path(key, i),
            os.what()
                + " requires '"
                + ref
                + "', another option of the same decision, so it can"
                + " never be selected; remove the requirement");
      }
    }
  }

  private void checkConditions(AnalysisPath at, Site s, List<Condition> when) {
    for (int i = 0; i < when.size(); i++) {
      resolveOption(at, s, "when", i, when.get(i).option());
    }
  }

  /** Resolves {@code decision.option} from scope {@code at}; reports and returns empty if not. */
  private Optional<QualifiedDecisionId> resolveOption(
      AnalysisPath at, Site s, String key, int i, OptionRef ref) {
    Resolved<QualifiedDecisionId> owner = tree.decisionRef(at, ref.decision());
    if (owner.value().isEmpty()) {
      problems.error(
          s.item(key, i),
          s.path(key, i),
          "'" + ref + "' in '" + key + "' of " + s.what() + " does not resolve: " + owner.why());
      return Optional.empty();
    }
    Decision d = tree.decision(owner.value().get());
    if (!d.options().containsKey(ref.option())) {
      List<String> names = d.options().keySet().stream().map(OptionId::value).toList();
      problems.error(
          s.item(key, i),
          s.path(key, i),
          "'"
              + ref
              + "' in '"
              + key
              + "' of "
              + s.what()
              + ": decision '"
              + owner.value().get()
              + "' has no option '"
              + ref.option()
              + "'"
              + Suggest.hint(ref.option().value(), names)
              + " (options: "
              + String.join(", ", names)
              + ")");
      return Optional.empty();
    }
    return owner.value();
  }

  private void checkInsight(AnalysisPath at, Insight insight) {
    Site s = index.get(at, Kind.INSIGHT, insight.id().value());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < insight.evidence().size(); i++) {
      Evidence e = insight.evidence().get(i);
      if (seen.putIfAbsent(e.id().value(), i) != null) {
        problems.error(
            s.item("evidence", i),
            s.path("evidence", i),
            "evidence id '" + e.id() + "' appears twice in " + s.what() + "; rename one");
      }
      if (e.artifact().isPresent()) {
        String artifact = e.artifact().get();
        Optional<Ref> ref = Ref.parse(artifact).filter(r -> r.up() == 0);
        Resolved<Tree.Source> r =
            ref.isEmpty()
                ? Resolved.fail("it is not an output id")
                : tree.outputInput(at, ref.get())
                    .then(
                        src ->
                            src instanceof ProducedOutput
                                ? Resolved.of(src)
                                : Resolved.fail("'" + artifact + "' is an input, not an output"));
        if (r.value().isEmpty()) {
          Site es = index.find(at, Kind.EVIDENCE, e.id().value()).orElse(s);
          problems.error(
              es.value("artifact"),
              es.path("artifact"),
              "artifact '"
                  + artifact
                  + "' of evidence '"
                  + e.id()
                  + "' in "
                  + s.what()
                  + " does not resolve: "
                  + r.why());
        }
      }
    }
  }

  /** Outputs may not depend on themselves through inputs, aliases and re-exports. */
  private void checkOutputCycles() {
    Map<QualifiedOutputId, List<QualifiedOutputId>> edges = new LinkedHashMap<>();
    tree.analyses()
        .forEach(
            (at, a) -> {
              for (Output o : a.outputs()) {
                QualifiedOutputId id = new QualifiedOutputId(at, o.id());
                List<QualifiedOutputId> next = new ArrayList<>();
                if (o.from().isPresent()) {
                  Ref from = o.from().get();
                  tree.scopeOf(at, from)
                      .value()
                      .filter(s -> Tree.findOutput(tree.at(s), from.target()).isPresent())
                      .ifPresent(
                          s ->
                              next.add(
                                  new QualifiedOutputId(
                                      s, io.lightcone.model.OutputId.of(from.target()))));
                }
                for (Ref ref : o.inputs()) {
                  tree.outputInput(at, ref)
                      .value()
                      .filter(ProducedOutput.class::isInstance)
                      .ifPresent(src -> next.add(((ProducedOutput) src).output()));
                }
                edges.put(id, next);
              }
            });
    Map<QualifiedOutputId, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
    for (QualifiedOutputId start : edges.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      // Iterative depth-first search, so a long chain cannot overflow the stack.
      List<QualifiedOutputId> stack = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      stack.add(start);
      next.add(0);
      state.put(start, 1);
      while (!stack.isEmpty()) {
        int top = stack.size() - 1;
        QualifiedOutputId node = stack.get(top);
        List<QualifiedOutputId> out = edges.getOrDefault(node, List.of());
        int i = next.get(top);
        if (i == out.size()) {
          state.put(node, 2);
          stack.remove(top);
          next.remove(top);
          continue;
        }
        next.set(top, i + 1);
        QualifiedOutputId to = out.get(i);
        Integer st = state.get(to);
        if (st == null) {
          state.put(to, 1);
          stack.add(to);
          next.add(0);
        } else if (st == 1) {
          reportCycle(stack.subList(stack.indexOf(to), stack.size()));
        }
      }
    }
  }

  private void reportCycle(List<QualifiedOutputId> cycle) {
    QualifiedOutputId first = cycle.get(0);
    Site s = index.get(first.analysis(), Kind.OUTPUT, first.output().value());
    StringBuilder path = new StringBuilder();
    for (QualifiedOutputId id : cycle) {
      path.append(id).append(" → ");
    }
    path.append(first);
    String key = tree.output(first).from().isPresent() ? "from" : "inputs";
    problems.error(
        s.key(key),
        s.path(key),
        "outputs form a cycle: "
            + path
            + "; an output cannot depend on itself — remove one of"
            + " these inputs");
  }
}
