package io.lightcone.core.internal.project;

import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisId;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Condition;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Evidence;
import io.lightcone.model.EvidenceId;
import io.lightcone.model.Input;
import io.lightcone.model.InputId;
import io.lightcone.model.InputType;
import io.lightcone.model.Insight;
import io.lightcone.model.InsightId;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.OptionRef;
import io.lightcone.model.Output;
import io.lightcone.model.OutputId;
import io.lightcone.model.OutputType;
import io.lightcone.model.PageLocation;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.Recipe;
import io.lightcone.model.Ref;
import io.lightcone.model.Resources;
import io.lightcone.model.TextQuote;
import io.lightcone.model.Universe;
import io.lightcone.model.UniverseId;
import io.lightcone.model.UniverseNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Generates random valid ASTRA projects from a seed, for the property tests. Every reference is
 * made from an element that already exists, and the generator remembers what each reference means
 * (the owning decision a name stands for), so that tests can judge universes without the loader's
 * own resolution code. Acyclic by construction: an output only depends on outputs made before it,
 * and an owning decision's {@code when} only names decisions owned earlier.
 */
final class ProjectGenerator {

  /** How big and how tangled the projects are; probabilities are per element. */
  record Profile(
      int maxAnalyses,
      int maxDepth,
      double pathSub,
      int maxDecisions,
      double alias,
      int maxOptions,
      double excluded,
      double withDefault,
      double ownerWhen,
      double aliasWhen,
      double requires,
      double incompatible,
      boolean content) {}

  /** Rich content, sparse constraints: for round trips. */
  static final Profile ROUND_TRIP =
      new Profile(
          /* maxAnalyses */ 7,
          /* maxDepth */ 3,
          /* pathSub */ 0.4,
          /* maxDecisions */ 3,
          /* alias */ 0.3,
          /* maxOptions */ 4,
          /* excluded */ 0.1,
          /* withDefault */ 0.8,
          /* ownerWhen */ 0.15,
          /* aliasWhen */ 0.2,
          /* requires */ 0.08,
          /* incompatible */ 0.08,
          /* content */ true);

  /** Few analyses, many decisions and constraints, no other content: for the universe oracle. */
  static final Profile DECISIONS =
      new Profile(
          /* maxAnalyses */ 4,
          /* maxDepth */ 2,
          /* pathSub */ 0.3,
          /* maxDecisions */ 3,
          /* alias */ 0.35,
          /* maxOptions */ 3,
          /* excluded */ 0.15,
          /* withDefault */ 0.8,
          /* ownerWhen */ 0.3,
          /* aliasWhen */ 0.2,
          /* requires */ 0.1,
          /* incompatible */ 0.12,
          /* content */ false);

  /** Names the generator draws ids from; includes ones YAML would read as booleans or null. */
  private static final List<String> WORDS =
      List.of(
          ("fit method seed data model plot split scale a b x1 step_2 yes no on off y n null true false id path label default from when")
              .split(" "));

  /** Strings a YAML reader would take for something else unless quoted. */
  private static final List<String> TRICKY =
      List.of(
          "42",
          "1.0",
          "-3",
          "1e5",
          "0x1F",
          "1:20",
          "yes",
          "No",
          "off",
          "null",
          "~",
          "true",
          "2025-01-01",
          "16Gi",
          "- dash",
          "a: b",
          "x #y",
          "#c",
          "{braces}",
          "[list]",
          "&a",
          "*b",
          "!t",
          "%p",
          "@u",
          "'q'",
          "\"dq\"",
          " lead",
          "trail ",
          "=",
          "<<",
          "ü λ 🚀",
          "tab\there",
          "two\nlines",
          "end\n",
          "\n\nblank lines\n\n",
          "cr\rlf",
          "nel\u0085x",
          "ls\u2028ps");

  /** A sub-analysis of the tree being generated. */
  static final class Node {
    final Node parent;
    final AnalysisId id;
    final AnalysisPath at;
    final Map<AnalysisId, Node> children = new LinkedHashMap<>();
    String path;
    final Set<String> artifactNames = new HashSet<>();

    /**
     * Output ids of this file's analyses, when this is the root or a {@code path:} sub-analysis:
     * the root and inline sub-analyses share one results directory, so their output ids differ.
     */
    final Set<String> fileOutputNames = new HashSet<>();

    final List<Input> inputs = new ArrayList<>();

    /** Inputs whose {@code from:} chain ends at an output (those may be evidence artifacts). */
    final Set<String> inputsFromOutputs = new HashSet<>();

    final List<Output> outputs = new ArrayList<>();
    final Map<String, Dec> decisions = new LinkedHashMap<>();
    final Set<String> insightNames = new HashSet<>();
    final Map<InsightId, Insight> prior = new LinkedHashMap<>();
    final Map<InsightId, Insight> findings = new LinkedHashMap<>();
    final Analysis.Builder meta = Analysis.builder();

    Node(Node parent, AnalysisId id) {
      this.parent = parent;
      this.id = id;
      this.at = parent == null ? AnalysisPath.ROOT : parent.at.child(id);
    }

    int depth() {
      return at.depth();
    }

    Node file() {
      return parent == null || path != null ? this : parent.file();
    }

    boolean isAncestorOf(Node other) {
      for (Node n = other.parent; n != null; n = n.parent) {
        if (n == this) {
          return true;
        }
      }
      return false;
    }
  }

  /** A decision as generated: an owner with options, or an alias of an ancestor's decision. */
  static final class Dec {
    final Node node;
    final String id;
    final Dec target;
    final int order;
    final Map<String, Opt> options = new LinkedHashMap<>();
    String defaultOption;
    final List<Cond> when = new ArrayList<>();
    final Decision.Builder meta = Decision.builder();

    Dec(Node node, String id, Dec target, int order) {
      this.node = node;
      this.id = id;
      this.target = target;
      this.order = order;
    }

    Dec owner() {
      return target == null ? this : target.owner();
    }

    QualifiedDecisionId qualified() {
      return new QualifiedDecisionId(node.at, DecisionId.of(id));
    }

    @Override
    public String toString() {
      return node.at.qualify(id);
    }
  }

  /** An option of an owning decision. */
  static final class Opt {
    final String id;
    boolean excluded;
    final List<Link> requires = new ArrayList<>();
    final List<Link> incompatible = new ArrayList<>();
    final List<InsightId> insights = new ArrayList<>();
    final Option.Builder meta = Option.builder();

    Opt(String id) {
      this.id = id;
    }
  }

  /** {@code named.option}, where {@code named} may be an alias: it means its owner's option. */
  record Link(Dec named, String option) {}

  /** A {@code when} condition. */
  record Cond(boolean negated, Link link) {}

  /**
   * One selection of a universe file: at {@code node}, decision {@code name} takes {@code option}.
   *
   * @param named the decision the name stands for, or null when no decision has that name there
   */
  record Pick(Node node, String name, String option, Dec named) {}

  /** A universe as generated, with the selections it was built from. */
  record GeneratedUniverse(Universe universe, List<Pick> picks) {}

  /** What a seed gave. */
  record Generated(Analysis analysis, List<GeneratedUniverse> universes, List<Dec> owners) {}

  private final Random rnd;
  private final Profile profile;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Dec> decisions = new ArrayList<>();
  private final List<Dec> owners = new ArrayList<>();
  private final List<Node> outputsAt = new ArrayList<>();
  private final List<String> outputIds = new ArrayList<>();
  private int paths;

  private ProjectGenerator(long seed, Profile profile) {
    this.rnd = new Random(seed);
    this.profile = profile;
  }

  /**
   * A project and candidate universes: with content (round trips), up to four whose selections are
   * all known and not excluded, but which may still break constraints; without, one universe with
   * arbitrary selections, unknown and excluded ones included.
   */
  static Generated generate(long seed, Profile profile) {
    return new ProjectGenerator(seed, profile).run();
  }

  private Generated run() {
    Node root = new Node(null, AnalysisId.of(fresh(new HashSet<>())));
    nodes.add(root);
    grow(root);
    if (profile.content) {
      nodes.forEach(this::metadata);
    }
    for (Node n : nodes) {
      int count = rnd.nextInt(profile.maxDecisions + 1);
      for (int i = 0; i < count; i++) {
        decision(n);
      }
    }
    if (profile.content) {
      nodes.forEach(this::reserveInsights);
      int steps = 2 + rnd.nextInt(4 * nodes.size() + 2);
      for (int i = 0; i < steps; i++) {
        artifact(pick(nodes));
      }
      nodes.forEach(this::insights);
    }
    for (Dec d : decisions) {
      conditions(d);
      for (Opt o : d.options.values()) {
        constraints(d, o);
      }
    }
    Analysis analysis = build(root);
    List<GeneratedUniverse> universes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int count = profile.content ? rnd.nextInt(5) : 1;
    for (int i = 0; i < count; i++) {
      universes.add(universe(universeId(ids), !profile.content));
    }
    return new Generated(analysis, universes, List.copyOf(owners));
  }

  // ---- the tree ----

  private void grow(Node n) {
    if (n.depth() >= profile.maxDepth) {
      return;
    }
    int count = rnd.nextInt(n.depth() == 0 ? 4 : 3 - Math.min(n.depth(), 2));
    Set<String> used = new HashSet<>();
    for (int i = 0; i < count && nodes.size() < profile.maxAnalyses; i++) {
      Node child = new Node(n, AnalysisId.of(fresh(used)));
      if (chance(profile.pathSub)) {
        // Unique directory names, so that no two sub-analyses share a file.
        paths++;
        child.path = (chance(0.3) ? "parts/" : "") + "part" + paths;
      }
      n.children.put(child.id, child);
      nodes.add(child);
      grow(child);
    }
  }

  private void metadata(Node n) {
    if (chance(0.4)) {
      n.meta.version(pick(List.of("1.0", "0.1.0", "2.10", "10.0.3")));
    }
    if (chance(0.5)) {
      n.meta.name(text());
    }
    if (chance(0.5)) {
      n.meta.description(text());
    }
    n.meta.addAllTags(texts(3));
    if (chance(0.3)) {
      n.meta.container(pick(List.of("python:3.11", "ghcr.io/org/img:latest", "Containerfile")));
    }
  }

  // ---- decisions ----

  private void decision(Node n) {
    Set<String> used = n.decisions.keySet();
    String id = fresh(new HashSet<>(used));
    List<Dec> above = new ArrayList<>();
    for (Node a = n.parent; a != null; a = a.parent) {
      above.addAll(a.decisions.values());
    }
    Dec d;
    if (!above.isEmpty() && chance(profile.alias)) {
      d = new Dec(n, id, pick(above), -1);
    } else {
      d = new Dec(n, id, null, owners.size());
      owners.add(d);
      d.meta.label(text());
      if (profile.content && chance(0.3)) {
        d.meta.rationale(text());
      }
      if (profile.content) {
        d.meta.addAllTags(texts(2));
      }
      int count = 1 + rnd.nextInt(profile.maxOptions);
      Set<String> optionIds = new HashSet<>();
      for (int i = 0; i < count; i++) {
        Opt o = new Opt(fresh(optionIds));
        o.excluded = chance(profile.excluded);
        o.meta.label(text());
        if (profile.content && chance(0.3)) {
          o.meta.description(text());
        }
        if (profile.content && chance(o.excluded ? 0.7 : 0.05)) {
          o.meta.excludedReason(text());
        }
        d.options.put(o.id, o);
      }
      List<Opt> allowed = d.options.values().stream().filter(o -> !o.excluded).toList();
      if (!allowed.isEmpty() && chance(profile.withDefault)) {
        d.defaultOption = pick(allowed).id;
      }
    }
    n.decisions.put(id, d);
    decisions.add(d);
  }

  /** Any decision name anywhere that stands for an owner satisfying {@code which}. */
  private Dec nameFor(Predicate<Dec> which) {
    List<Dec> names = decisions.stream().filter(d -> which.test(d.owner())).toList();
    return names.isEmpty() ? null : pick(names);
  }

  private void conditions(Dec d) {
    double p = d.target == null ? profile.ownerWhen : profile.aliasWhen;
    if (!chance(p)) {
      return;
    }
    int count = 1 + rnd.nextInt(2);
    for (int i = 0; i < count; i++) {
      // An owner's conditions name only decisions owned before it: 'when' stays acyclic.
      Dec named = d.target == null ? nameFor(o -> o.order < d.order) : nameFor(o -> true);
      if (named != null) {
        d.when.add(new Cond(chance(0.4), new Link(named, pick(optionIds(named.owner())))));
      }
    }
  }

  private void constraints(Dec d, Opt o) {
    if (chance(profile.requires)) {
      Dec named = nameFor(x -> true);
      Dec target = named.owner();
      // Requiring another option of its own decision is an error of the project, not a universe.
      String option = target == d ? o.id : pick(optionIds(target));
      o.requires.add(new Link(named, option));
    }
    if (chance(profile.incompatible)) {
      Dec named = nameFor(x -> true);
      o.incompatible.add(new Link(named, pick(optionIds(named.owner()))));
    }
    if (profile.content && chance(0.2)) {
      List<InsightId> visible = new ArrayList<>();
      for (Node n = d.node; n != null; n = n.parent) {
        visible.addAll(n.prior.keySet());
        visible.addAll(n.findings.keySet());
      }
      if (!visible.isEmpty()) {
        o.insights.add(pick(visible));
      }
    }
  }

  private static List<String> optionIds(Dec owner) {
    return List.copyOf(owner.options.keySet());
  }

  // ---- inputs and outputs ----

  private void artifact(Node n) {
    int kind = rnd.nextInt(10);
    if (kind < 2) {
      dataInput(n);
    } else if (kind < 4 && n.parent != null) {
      aliasInput(n);
    } else if (kind < 5) {
      reExport(n);
    } else {
      producedOutput(n);
    }
  }

  private void dataInput(Node n) {
    Input.Builder b =
        Input.builder()
            .id(InputId.of(fresh(n.artifactNames)))
            .type(chance(0.8) ? InputType.DATA : InputType.ANALYSIS);
    if (chance(0.3)) {
      b.label(text());
    }
    if (chance(0.4)) {
      b.description(text());
    }
    if (chance(0.7)) {
      b.source(pick(List.of("data/x.csv", "s3://bucket/v2.1.csv", "sklearn.datasets.load_iris")));
    }
    if (chance(0.2)) {
      b.ref("https://example.org/astra/other").refVersion(pick(List.of("1.2", "v3", "2")));
    }
    b.addAllUseOutputs(texts(2));
    n.inputs.add(b.build());
  }

  /** {@code ../x} (an ancestor's input) or {@code ../sibling.out} (an output in another branch). */
  private void aliasInput(Node n) {
    List<Ref> candidates = new ArrayList<>();
    List<Boolean> toOutput = new ArrayList<>();
    int up = 1;
    for (Node a = n.parent; a != null; a = a.parent, up++) {
      for (Input i : a.inputs) {
        candidates.add(new Ref(up, List.of(i.id().value())));
        toOutput.add(a.inputsFromOutputs.contains(i.id().value()));
      }
    }
    for (int i = 0; i < outputIds.size(); i++) {
      Node t = outputsAt.get(i);
      if (t == n || t.isAncestorOf(n) || n.isAncestorOf(t)) {
        continue;
      }
      candidates.add(refTo(n, t, outputIds.get(i)));
      toOutput.add(true);
    }
    if (candidates.isEmpty()) {
      dataInput(n);
      return;
    }
    int k = rnd.nextInt(candidates.size());
    String id = fresh(n.artifactNames);
    n.inputs.add(Input.builder().id(InputId.of(id)).from(candidates.get(k)).build());
    if (toOutput.get(k)) {
      n.inputsFromOutputs.add(id);
    }
  }

  private void reExport(Node n) {
    List<Ref> below = outputsBelow(n);
    if (below.isEmpty()) {
      producedOutput(n);
      return;
    }
    Output.Builder b = Output.builder().id(outputId(n)).from(pick(below));
    b.addAllWhen(outputConditions(n));
    addOutput(n, b.build());
  }

  private void producedOutput(Node n) {
    Output.Builder b = Output.builder().id(outputId(n)).type(pick(List.of(OutputType.values())));
    if (chance(0.3)) {
      b.label(text());
    }
    if (chance(0.4)) {
      b.description(text());
    }
    List<Ref> available = new ArrayList<>();
    n.inputs.forEach(i -> available.add(Ref.local(i.id().value())));
    n.outputs.forEach(o -> available.add(Ref.local(o.id().value())));
    available.addAll(outputsBelow(n));
    List<Ref> inputs = sample(available, 3);
    List<String> decisionIds = sample(List.copyOf(n.decisions.keySet()), 3);
    b.addAllInputs(inputs);
    decisionIds.forEach(d -> b.addDecision(DecisionId.of(d)));
    b.addAllWhen(outputConditions(n));
    // Rarely no recipe: a warning ("nothing produces it"), not an error.
    if (chance(0.95)) {
      Recipe.Builder r = Recipe.builder().command(command(inputs, decisionIds));
      if (chance(0.4)) {
        r.resources(resources());
      }
      if (chance(0.2)) {
        r.container(pick(List.of("python:3.9", "containers/Dockerfile")));
      }
      b.recipe(r.build());
    }
    addOutput(n, b.build());
  }

  private OutputId outputId(Node n) {
    Set<String> taken = new HashSet<>(n.artifactNames);
    taken.addAll(n.file().fileOutputNames);
    String id = fresh(taken);
    n.artifactNames.add(id);
    n.file().fileOutputNames.add(id);
    return OutputId.of(id);
  }

  private void addOutput(Node n, Output o) {
    n.outputs.add(o);
    outputsAt.add(n);
    outputIds.add(o.id().value());
  }

  /** Outputs of descendants, as {@code child.out} or {@code child.grandchild.out}. */
  private List<Ref> outputsBelow(Node n) {
    List<Ref> out = new ArrayList<>();
    for (int i = 0; i < outputIds.size(); i++) {
      if (n.isAncestorOf(outputsAt.get(i))) {
        out.add(refTo(n, outputsAt.get(i), outputIds.get(i)));
      }
    }
    return out;
  }

  private List<Condition> outputConditions(Node n) {
    List<Condition> out = new ArrayList<>();
    if (!decisions.isEmpty() && chance(0.2)) {
      Dec named = pick(decisions);
      Link link = new Link(named, pick(optionIds(named.owner())));
      out.add(new Condition(chance(0.4), optionRef(n, link)));
    }
    return out;
  }

  private String command(List<Ref> inputs, List<String> decisionIds) {
    StringBuilder c =
        new StringBuilder(pick(List.of("python3 src/run.py", "Rscript a.R", "julia m.jl", "sh")));
    for (Ref i : inputs) {
      if (chance(0.7)) {
        c.append(" --in {inputs.").append(i).append('}');
      }
    }
    if (chance(0.3)) {
      c.append(" {inputs}");
    }
    for (String d : decisionIds) {
      if (chance(0.7)) {
        c.append(" --").append(d).append(" {decisions.").append(d).append('}');
      }
    }
    if (chance(0.3)) {
      c.append(" | awk '{{print $1}}'");
    }
    if (chance(0.2)) {
      c.append(pick(List.of(" # yes: no", " --n 42", " && echo '{{}}'", " 2>&1")));
    }
    if (chance(0.8)) {
      c.append(" > {output}");
    }
    return c.toString();
  }

  private Resources resources() {
    Resources.Builder r = Resources.builder();
    if (chance(0.7)) {
      r.cpus(chance(0.5) ? 1 + rnd.nextInt(16) : rnd.nextInt(40) * 0.25);
    }
    if (chance(0.5)) {
      r.memory(pick(List.of("512Mi", "16Gi", "8GB", "1.5G", "100", "64k")));
    }
    if (chance(0.4)) {
      r.timeLimit(pick(List.of("2h", "30m", "1h30m", "01:30:00", "90s", "1d", "00:45")));
    }
    if (chance(0.3)) {
      r.disk(pick(List.of("10Gi", "500Mi")));
    }
    if (chance(0.3)) {
      r.gpus(1 + rnd.nextInt(4));
    }
    return r.build();
  }

  // ---- insights ----

  private void reserveInsights(Node n) {
    int count = rnd.nextInt(3);
    for (int i = 0; i < count; i++) {
      InsightId id = InsightId.of(fresh(n.insightNames));
      // A placeholder until outputs exist; replaced by insights(n).
      Map<InsightId, Insight> into = chance(0.5) ? n.prior : n.findings;
      into.put(id, Insight.builder().id(id).claim("-").createdAt("-").build());
    }
  }

  private void insights(Node n) {
    n.prior.replaceAll((id, placeholder) -> insight(n, id));
    n.findings.replaceAll((id, placeholder) -> insight(n, id));
  }

  private Insight insight(Node n, InsightId id) {
    Insight.Builder b =
        Insight.builder()
            .id(id)
            .claim(text())
            .createdAt(
                pick(
                    List.of(
                        "2025-06-15T10:30:00Z",
                        "2025-06-15T10:30:00",
                        "2024-02-29T23:59:59.123+02:00")));
    if (chance(0.3)) {
      b.label(text());
    }
    List<String> artifacts = new ArrayList<>();
    n.outputs.forEach(o -> artifacts.add(o.id().value()));
    artifacts.addAll(n.inputsFromOutputs);
    outputsBelow(n).forEach(r -> artifacts.add(r.toString()));
    int count = 1 + rnd.nextInt(2);
    Set<String> evidenceIds = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Evidence.Builder e = Evidence.builder().id(EvidenceId.of(fresh(evidenceIds)));
      if (!artifacts.isEmpty() && chance(0.5)) {
        e.artifact(pick(artifacts));
      } else {
        e.doi(
            "10."
                + (1000 + rnd.nextInt(90000))
                + "/"
                + pick(List.of("abc", "arXiv.2301.1", "x y")));
        if (chance(0.5)) {
          e.version(1 + rnd.nextInt(4));
        }
      }
      if (chance(0.2)) {
        e.snapshot("snapshots/" + pick(WORDS) + ".json");
      }
      if (chance(0.2)) {
        e.sourceCommit(pick(List.of("1a2b3c4", "deadbeef", "0123456")));
      }
      if (chance(0.5)) {
        TextQuote.Builder q = TextQuote.builder().exact(text());
        if (chance(0.4)) {
          q.prefix(text());
        }
        if (chance(0.4)) {
          q.suffix(text());
        }
        e.quote(q.build());
      }
      if (chance(0.4)) {
        PageLocation.Builder l = PageLocation.builder();
        if (chance(0.6)) {
          l.value("page=" + (1 + rnd.nextInt(30)));
        }
        if (chance(0.6)) {
          l.page(1 + rnd.nextInt(30));
        }
        e.location(l.build());
      }
      b.addEvidence(e.build());
    }
    if (chance(0.4)) {
      b.derived(rnd.nextBoolean());
    }
    if (chance(0.3)) {
      b.scope(text());
    }
    b.addAllTags(texts(2));
    if (chance(0.3)) {
      b.notes(text());
    }
    return b.build();
  }

  // ---- building the model ----

  private Analysis build(Node n) {
    Analysis.Builder b = Analysis.builder().from(n.meta.id(n.id).build());
    b.addAllInputs(n.inputs).addAllOutputs(n.outputs);
    for (Dec d : n.decisions.values()) {
      b.putDecision(DecisionId.of(d.id), decision(d));
    }
    b.putAllPriorInsights(n.prior).putAllFindings(n.findings);
    if (n.path != null) {
      b.path(n.path);
    }
    n.children.forEach((id, c) -> b.putAnalysis(id, build(c)));
    return b.build();
  }

  private Decision decision(Dec d) {
    Decision.Builder b = d.meta.id(DecisionId.of(d.id));
    for (Cond c : d.when) {
      b.addWhen(new Condition(c.negated(), optionRef(d.node, c.link())));
    }
    if (d.target != null) {
      return b.from(refTo(d.node, d.target.node, d.target.id)).build();
    }
    for (Opt o : d.options.values()) {
      Option.Builder ob = o.meta.id(OptionId.of(o.id)).excluded(o.excluded);
      o.requires.forEach(l -> ob.addRequire(optionRef(d.node, l)));
      o.incompatible.forEach(l -> ob.addIncompatibleWith(optionRef(d.node, l)));
      ob.addAllInsights(o.insights);
      b.putOption(OptionId.of(o.id), ob.build());
    }
    if (d.defaultOption != null) {
      b.defaultOption(OptionId.of(d.defaultOption));
    }
    return b.build();
  }

  private static OptionRef optionRef(Node from, Link l) {
    return new OptionRef(refTo(from, l.named().node, l.named().id), OptionId.of(l.option()));
  }

  /**
   * How {@code from} names element {@code name} of {@code to}: up to their common ancestor, down.
   */
  static Ref refTo(Node from, Node to, String name) {
    Node common = from;
    while (common != to && !common.isAncestorOf(to)) {
      common = common.parent;
    }
    List<String> down = new ArrayList<>();
    for (Node n = to; n != common; n = n.parent) {
      down.add(0, n.id.value());
    }
    down.add(name);
    return new Ref(from.depth() - common.depth(), down);
  }

  // ---- universes ----

  private String universeId(Set<String> used) {
    String id;
    do {
      id = pick(List.of("base", "u", "alt", "yes", "null")) + pick(List.of("", "-1", "_2", "-x"));
    } while (!used.add(id));
    return id;
  }

  /**
   * Selections for some owners, each under one of the names it has; when {@code noisy}, also
   * excluded and unknown options, unknown decisions and conflicting selections through aliases.
   */
  private GeneratedUniverse universe(String id, boolean noisy) {
    List<Pick> picks = new ArrayList<>();
    double select = 0.5;
    for (Dec owner : owners) {
      if (!chance(select)) {
        continue;
      }
      List<Dec> names = decisions.stream().filter(d -> d.owner() == owner).toList();
      Dec named = pick(names);
      List<Opt> allowed = owner.options.values().stream().filter(o -> !o.excluded).toList();
      String option;
      if (noisy && chance(0.06)) {
        option = "nope";
      } else if (allowed.isEmpty() || (noisy && chance(0.08))) {
        option = pick(List.copyOf(owner.options.values())).id;
      } else {
        option = pick(allowed).id;
      }
      picks.add(new Pick(named.node, named.id, option, named));
      if (names.size() > 1 && chance(noisy ? 0.25 : 0.1)) {
        // The same owner again under another of its names: the same option, or (noise) another.
        Dec other = pick(names.stream().filter(d -> d != named).toList());
        boolean clash = noisy && chance(0.4);
        String again = clash ? pick(optionIds(owner)) : option;
        picks.add(new Pick(other.node, other.id, again, other));
      }
    }
    if (noisy && chance(0.04)) {
      picks.add(new Pick(pick(nodes), "ghost", "o", null));
    }
    Universe.Builder u = Universe.builder().id(UniverseId.of(id));
    if (chance(0.3)) {
      u.description(text());
    }
    Map<AnalysisPath, Map<DecisionId, OptionId>> byNode = new LinkedHashMap<>();
    for (Pick p : picks) {
      byNode
          .computeIfAbsent(p.node().at, k -> new LinkedHashMap<>())
          .put(DecisionId.of(p.name()), OptionId.of(p.option()));
    }
    u.putAllDecisions(byNode.getOrDefault(AnalysisPath.ROOT, Map.of()));
    Node root = nodes.get(0);
    root.children
        .values()
        .forEach(c -> universeNode(c, byNode).ifPresent(node -> u.putAnalysis(c.id, node)));
    return new GeneratedUniverse(u.build(), picks);
  }

  private java.util.Optional<UniverseNode> universeNode(
      Node n, Map<AnalysisPath, Map<DecisionId, OptionId>> byNode) {
    UniverseNode.Builder b = UniverseNode.builder().id(n.id);
    b.putAllDecisions(byNode.getOrDefault(n.at, Map.of()));
    boolean any = byNode.containsKey(n.at);
    for (Node c : n.children.values()) {
      java.util.Optional<UniverseNode> sub = universeNode(c, byNode);
      if (sub.isPresent()) {
        b.putAnalysis(c.id, sub.get());
        any = true;
      }
    }
    return any ? java.util.Optional.of(b.build()) : java.util.Optional.empty();
  }

  // ---- randomness ----

  private boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  private <T> T pick(List<T> items) {
    return items.get(rnd.nextInt(items.size()));
  }

  private <T> List<T> sample(List<T> items, int max) {
    List<T> pool = new ArrayList<>(items);
    List<T> out = new ArrayList<>();
    int count = pool.isEmpty() ? 0 : rnd.nextInt(Math.min(max, pool.size()) + 1);
    for (int i = 0; i < count; i++) {
      out.add(pool.remove(rnd.nextInt(pool.size())));
    }
    return out;
  }

  /** An id not in {@code used} (which it joins): a word, with a suffix when the word is taken. */
  private String fresh(Set<String> used) {
    String word = pick(WORDS);
    String id = word;
    for (int i = 2; used.contains(id); i++) {
      id = word + "_" + i;
    }
    used.add(id);
    return id;
  }

  /** Never empty (the loader reads an empty value as absent). */
  private String text() {
    return switch (rnd.nextInt(6)) {
      case 0 -> pick(TRICKY);
      case 1 -> pick(TRICKY) + " " + pick(WORDS);
      case 2 -> {
        // NEXT LINE inside a multi-line string is the one thing the writer refuses.
        String lines = text().replace('\u0085', ' ') + "\n" + text().replace('\u0085', ' ');
        yield chance(0.5) ? lines + "\n" : lines;
      }
      default -> {
        StringBuilder s = new StringBuilder(pick(WORDS));
        int words = rnd.nextInt(6);
        for (int i = 0; i < words; i++) {
          s.append(pick(List.of(" ", " ", ", ", ": ", " - ", "/"))).append(pick(WORDS));
        }
        yield s.toString();
      }
    };
  }

  private List<String> texts(int max) {
    int count = rnd.nextInt(max + 1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(text());
    }
    return out;
  }
}
