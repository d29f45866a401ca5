package io.lightcone.core.internal.project;

import io.lightcone.core.internal.Parallel;
import io.lightcone.core.internal.project.ChoiceResolver.Resolution;
import io.lightcone.core.internal.project.ChoiceResolver.Violation;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisId;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Identifiers;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.Universe;
import io.lightcone.model.UniverseId;
import io.lightcone.model.UniverseNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads {@code universes/*.yaml} and checks each universe against the analysis tree: known
 * decisions and options, no excluded option, {@code requires} / {@code incompatible_with}
 * respected, every active decision chosen or defaulted (see {@link ChoiceResolver}).
 */
final class Universes {
  static final List<String> UNIVERSE_KEYS = List.of("id", "description", "decisions", "analyses");
  static final List<String> NODE_KEYS = List.of("id", "universe", "decisions", "analyses");

  private final Tree tree;
  private final AnalysisFiles files;
  private final Problems problems;
  private final ChoiceResolver resolver;
  private final int threads;
  private final Map<String, List<Path>> filesByUniverse = new HashMap<>();

  Universes(Tree tree, AnalysisFiles files, Problems problems, int threads) {
    this.tree = tree;
    this.files = files;
    this.problems = problems;
    this.resolver = new ChoiceResolver(tree);
    this.threads = threads;
  }

  /** Where a universe selected an option, for messages. */
  private record Selection(OptionId option, Mark at, String file) {}

  /** Loads every universe file of the project, in file name order. */
  List<ResolvedUniverse> loadAll() {
    Path dir = files.project().resolve("universes");
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        problems.warning(
            Mark.fileOnly("universes"),
            "",
            "universes is not a directory, so it holds no universe files; the project has one"
                + " 'default' universe. Make universes/ a directory of <id>.yaml files");
      }
      return defaultUniverse();
    }
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.sorted().toList();
    } catch (IOException e) {
      throw AnalysisFiles.unreadable(dir, e);
    }
    for (Path p : paths) {
      if (!Files.isRegularFile(p) && (isYaml(p) || Files.isDirectory(p))) {
        problems.warning(
            Mark.fileOnly(files.relativize(p)),
            "",
            files.relativize(p)
                + " is "
                + (Files.isDirectory(p) ? "a directory" : "not a regular file")
                + ", so it is not read as a universe; universe files are the regular"
                + " universes/*.yaml files");
      } else if (!Files.isRegularFile(p)) {
        problems.warning(
            Mark.fileOnly(files.relativize(p)),
            "",
            files.relativize(p) + " is not a regular file; it is skipped");
      }
    }
    paths = paths.stream().filter(p -> isYaml(p) && Files.isRegularFile(p)).toList();
    if (paths.isEmpty()) {
      return defaultUniverse();
    }
    // Universe files are independent: read and resolve them in parallel, each with its own
    // problem list, then merge in file order so the report stays deterministic.
    List<Loaded> loaded =
        Parallel.map(
            paths,
            threads,
            p -> {
              Problems local = new Problems();
              AnalysisFiles f = files.fork(local);
              Universes u = new Universes(tree, f, local, 1);
              String name = files.relativize(p);
              Optional<ResolvedUniverse> r =
                  f.read(p, name).flatMap(root -> u.load(root, name, stem(p)));
              return new Loaded(name, r, local.all(), f.filesRead());
            });
    List<ResolvedUniverse> out = new ArrayList<>();
    Map<UniverseId, String> seen = new HashMap<>();
    for (Loaded l : loaded) {
      problems.addProblems(l.problems());
      if (l.universe().isEmpty()) {
        continue;
      }
      ResolvedUniverse u = l.universe().get();
      filesByUniverse.put(u.id().value(), l.files());
      String previous = seen.putIfAbsent(u.id(), l.name());
      if (previous != null) {
        problems.error(
            Mark.fileOnly(l.name()),
            "id",
            "universe id '"
                + u.id()
                + "' is used by both "
                + previous
                + " and "
                + l.name()
                + "; give each universe its own id");
        continue;
      }
      out.add(u);
    }
    return out;
  }

  /**
   * No universe files: one universe {@code default} with every decision at its default, as
   * lightcone-cli does; none (and a warning saying what to add) when a decision has no default or
   * the defaults break a constraint.
   */
  private List<ResolvedUniverse> defaultUniverse() {
    Resolution r = resolver.resolve(Map.of());
    if (!r.isValid()) {
      List<String> why = new ArrayList<>();
      r.missing().forEach(d -> why.add("decision '" + d + "' has no default"));
      r.violations()
          .forEach(
              v ->
                  why.add(
                      "the default '"
                          + v.option()
                          + "' of '"
                          + v.decision()
                          + "' "
                          + (v.requires() ? "requires '" : "is incompatible with '")
                          + v.ref()
                          + "'"));
      problems.warning(
          Mark.fileOnly("universes"),
          "",
          "there are no universe files and no 'default' universe can be made ("
              + String.join("; ", why)
              + "); add universes/<id>.yaml, or run lc run --multiverse");
      return List.of();
    }
    defaulted = true;
    return List.of(
        ResolvedUniverse.builder()
            .id(UniverseId.of(DEFAULT_ID))
            .origin(ResolvedUniverse.Origin.DEFAULT)
            .putAllChoices(r.choices())
            .addAllDefaulted(r.defaulted())
            .build());
  }

  /** The id of the universe a project without universe files has. */
  static final String DEFAULT_ID = "default";

  private boolean defaulted;

  private record Loaded(
      String name,
      Optional<ResolvedUniverse> universe,
      List<io.lightcone.Problem> problems,
      List<Path> files) {}

  /** By universe id, the files its selections came from (after {@link #loadAll}). */
  Map<String, List<Path>> filesByUniverse() {
    return Map.copyOf(filesByUniverse);
  }

  static boolean isYaml(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  static String stem(Path p) {
    String n = p.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  /** Binds and resolves one universe file; empty when it has errors. */
  Optional<ResolvedUniverse> load(YNode root, String file, String stem) {
    int errorsBefore = problems.errorCount();
    Optional<Fields> maybe = Fields.of(root, "", "universe file " + file, problems, UNIVERSE_KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    Optional<UniverseId> id = universeId(f, file, stem);
    Universe.Builder universe = Universe.builder();
    f.string("description").ifPresent(universe::description);
    Map<QualifiedDecisionId, Selection> explicit = new LinkedHashMap<>();
    f.map("decisions")
        .ifPresent(
            m ->
                select(AnalysisPath.ROOT, m, f.site().path("decisions"), file, explicit)
                    .forEach(universe::putDecision));
    f.map("analyses")
        .ifPresent(
            m ->
                nodes(AnalysisPath.ROOT, m, f.site().path("analyses"), file, explicit)
                    .forEach(universe::putAnalysis));
    if (id.isEmpty() || problems.errorCount() > errorsBefore) {
      return Optional.empty();
    }
    Universe declared = universe.id(id.get()).build();
    Map<QualifiedDecisionId, OptionId> options = new LinkedHashMap<>();
    explicit.forEach((d, s) -> options.put(d, s.option()));
    Resolution r = resolver.resolve(options);
    Mark fallback = f.site().key("decisions");
    String what = "universe '" + id.get() + "'";
    for (QualifiedDecisionId d : r.missing()) {
      Decision decision = tree.decision(d);
      problems.error(
          fallback,
          f.site().path("decisions"),
          what
              + " chooses no option for decision '"
              + d
              + "', which has no default; add '"
              + d.decision()
              + ": <option>'"
              + (d.analysis().isRoot() ? "" : " under analyses: " + d.analysis())
              + " (options: "
              + optionList(decision)
              + ")");
    }
    for (QualifiedDecisionId d : r.inactive()) {
      Selection s = explicit.get(d);
      if (s != null) {
        problems.warning(
            s.at(),
            "decisions." + d.decision(),
            what
                + " selects '"
                + s.option()
                + "' for decision '"
                + d
                + "', which is not active"
                + " in this universe (its 'when' does not hold); the selection is ignored");
      }
    }
    for (Violation v : r.violations()) {
      Selection own = explicit.get(v.decision());
      Selection other = explicit.get(v.target());
      Mark at = own != null ? own.at() : other != null ? other.at() : fallback;
      String target =
          v.targetChoice()
              .map(o -> "'" + v.target() + "' is '" + o + "'" + where(other, own))
              .orElse("'" + v.target() + "' is not active");
      problems.error(
          at,
          "decisions." + v.decision().decision(),
          what
              + " selects '"
              + v.option()
              + "' for '"
              + v.decision()
              + "'"
              + where(own, null)
              + ", which "
              + (v.requires()
                  ? "requires '" + v.ref() + "', but " + target
                  : "is incompatible with '" + v.ref() + "', and " + target)
              + "; change one of the two");
    }
    if (problems.errorCount() > errorsBefore) {
      return Optional.empty();
    }
    return Optional.of(
        ResolvedUniverse.builder()
            .id(id.get())
            .declared(declared)
            .file(file)
            .putAllChoices(r.choices())
            .addAllDefaulted(r.defaulted())
            .build());
  }

  private static String where(Selection s, Selection same) {
    if (s == null) {
      return " (by default)";
    }
    if (same != null && same.file().equals(s.file())) {
      return " (line " + s.at().line() + ")";
    }
    return " (" + s.at().file() + ":" + s.at().line() + ")";
  }

  private Optional<UniverseId> universeId(Fields f, String file, String stem) {
    Optional<String> written = f.string("id");
    String id = written.orElse(stem);
    if (Identifiers.isUniverseId(id)) {
      return Optional.of(UniverseId.of(id));
    }
    if (written.isPresent()) {
      f.valueError(
          "id",
          "'"
              + id
              + "' is not a valid universe id: use lower-case letters, digits, '_' and '-',"
              + " starting with a letter");
    } else {
      problems.error(
          f.site().at(),
          "id",
          "the file name '"
              + stem
              + "' of "
              + file
              + " is not a valid universe id (lower-case"
              + " letters, digits, '_' and '-', starting with a letter); rename the file or add"
              + " an 'id:'");
    }
    return Optional.empty();
  }

  /** Records the selections of one {@code decisions:} mapping at {@code scope}. */
  private Map<DecisionId, OptionId> select(
      AnalysisPath scope,
      YMap decisions,
      String path,
      String file,
      Map<QualifiedDecisionId, Selection> explicit) {
    Map<DecisionId, OptionId> out = new LinkedHashMap<>();
    Analysis a = tree.at(scope);
    for (YMap.Entry e : decisions.entries()) {
      String key = path + "." + e.name();
      Decision d = Tree.findDecision(a, e.name());
      if (d == null) {
        List<String> names = a.decisions().keySet().stream().map(DecisionId::value).toList();
        problems.error(
            e.key().mark(),
            key,
            "decision '"
                + e.name()
                + "' is not declared in "
                + Tree.name(scope)
                + Suggest.hint(e.name(), names)
                + (names.isEmpty() ? "" : "; decisions: " + String.join(", ", names)));
        continue;
      }
      if (!(e.value() instanceof YScalar value) || value.isNull()) {
        problems.error(
            e.value().mark(),
            key,
            "decision '"
                + e.name()
                + "' must select one option id, not "
                + e.value().describe()
                + " (options: "
                + optionList(ownerOf(scope, d))
                + ")");
        continue;
      }
      Tree.Resolved<QualifiedDecisionId> owner = tree.decisionOwner(scope, e.name());
      if (owner.value().isEmpty()) {
        continue; // reported by the semantic stage
      }
      Decision od = tree.decision(owner.value().get());
      Option option =
          od.options().values().stream()
              .filter(o -> o.id().value().equals(value.text()))
              .findFirst()
              .orElse(null);
      if (option == null) {
        List<String> names = od.options().keySet().stream().map(OptionId::value).toList();
        problems.error(
            value.mark(),
            key,
            "decision '"
                + owner.value().get()
                + "' has no option '"
                + value.text()
                + "'"
                + Suggest.hint(value.text(), names)
                + " (options: "
                + optionList(od)
                + ")");
        continue;
      }
      if (option.excluded()) {
        problems.error(
            value.mark(),
            key,
            "option '"
                + option.id()
                + "' of decision '"
                + owner.value().get()
                + "' is excluded"
                + option.excludedReason().map(r -> " (" + r + ")").orElse("")
                + "; choose one of "
                + optionList(od));
        continue;
      }
      Selection previous = explicit.get(owner.value().get());
      if (previous != null && !previous.option().equals(option.id())) {
        problems.error(
            value.mark(),
            key,
            "decision '"
                + e.name()
                + "' of "
                + Tree.name(scope)
                + " is an alias of '"
                + owner.value().get()
                + "', which this universe already sets to '"
                + previous.option()
                + "' ("
                + previous.at().file()
                + ":"
                + previous.at().line()
                + "); select it once");
        continue;
      }
      explicit.put(owner.value().get(), new Selection(option.id(), value.mark(), file));
      out.put(d.id(), option.id());
    }
    return out;
  }

  private Decision ownerOf(AnalysisPath scope, Decision d) {
    return tree.decisionOwner(scope, d.id().value()).value().map(tree::decision).orElse(d);
  }

  /** Binds the {@code analyses:} selections below {@code scope}. */
  private Map<AnalysisId, UniverseNode> nodes(
      AnalysisPath scope,
      YMap analyses,
      String path,
      String file,
      Map<QualifiedDecisionId, Selection> explicit) {
    Map<AnalysisId, UniverseNode> out = new LinkedHashMap<>();
    Analysis a = tree.at(scope);
    for (YMap.Entry e : analyses.entries()) {
      String key = path + "." + e.name();
      Optional<AnalysisId> sub =
          a.analyses().keySet().stream().filter(id -> id.value().equals(e.name())).findFirst();
      if (sub.isEmpty()) {
        List<String> names = a.analyses().keySet().stream().map(AnalysisId::value).toList();
        problems.error(
            e.key().mark(),
            key,
            Tree.name(scope)
                + " has no sub-analysis '"
                + e.name()
                + "'"
                + Suggest.hint(e.name(), names)
                + (names.isEmpty() ? "" : "; sub-analyses: " + String.join(", ", names)));
        continue;
      }
      AnalysisPath at = scope.child(sub.get());
      Optional<Fields> maybe =
          Fields.of(e.value(), key, "selections for " + Tree.name(at), problems, NODE_KEYS);
      if (maybe.isEmpty()) {
        continue;
      }
      Fields f = maybe.get();
      UniverseNode.Builder node = UniverseNode.builder().id(sub.get());
      f.string("id")
          .filter(id -> !id.equals(e.name()))
          .ifPresent(
              id ->
                  f.valueError(
                      "id",
                      "id '" + id + "' differs from its key '" + e.name() + "'; make them equal"));
      f.string("universe")
          .ifPresent(
              name -> {
                node.universe(name);
                includeUniverse(at, name, f, file, explicit);
              });
      f.map("decisions")
          .ifPresent(
              m ->
                  select(at, m, f.site().path("decisions"), file, explicit)
                      .forEach(node::putDecision));
      f.map("analyses")
          .ifPresent(
              m ->
                  nodes(at, m, f.site().path("analyses"), file, explicit)
                      .forEach(node::putAnalysis));
      out.put(sub.get(), node.build());
    }
    return out;
  }

  /** Applies a universe of a {@code path:} sub-analysis's own {@code universes/} directory. */
  private void includeUniverse(
      AnalysisPath at,
      String name,
      Fields f,
      String file,
      Map<QualifiedDecisionId, Selection> explicit) {
    Optional<Path> dir = directoryOf(at);
    if (dir.isEmpty()) {
      f.valueError(
          "universe",
          "'universe: "
              + name
              + "' needs "
              + Tree.name(at)
              + " to live in its own directory"
              + " (path:); select its decisions inline under 'decisions:' instead");
      return;
    }
    Path universes = dir.get().resolve("universes");
    Optional<Path> found =
        Stream.of(name + ".yaml", name + ".yml")
            .map(universes::resolve)
            .filter(Files::isRegularFile)
            .findFirst();
    if (found.isEmpty()) {
      List<String> known = new ArrayList<>();
      if (Files.isDirectory(universes)) {
        try (Stream<Path> s = Files.list(universes)) {
          s.filter(Universes::isYaml).map(Universes::stem).sorted().forEach(known::add);
        } catch (IOException e) {
          throw AnalysisFiles.unreadable(universes, e);
        }
      }
      f.valueError(
          "universe",
          "no universe '"
              + name
              + "' in "
              + files.relativize(universes)
              + Suggest.hint(name, known)
              + (known.isEmpty() ? "" : " (universes: " + String.join(", ", known) + ")"));
      return;
    }
    String subFile = files.relativize(found.get());
    Optional<YNode> root = files.read(found.get(), subFile);
    if (root.isEmpty()) {
      return;
    }
    Optional<Fields> maybe =
        Fields.of(root.get(), "", "universe file " + subFile, problems, UNIVERSE_KEYS);
    if (maybe.isEmpty()) {
      return;
    }
    Fields u = maybe.get();
    u.map("decisions").ifPresent(m -> select(at, m, "decisions", subFile, explicit));
    u.map("analyses").ifPresent(m -> nodes(at, m, "analyses", subFile, explicit));
  }

  private Optional<Path> directoryOf(AnalysisPath at) {
    if (tree.at(at).path().isEmpty()) {
      return Optional.empty();
    }
    Path dir = files.project();
    AnalysisPath walk = AnalysisPath.ROOT;
    for (AnalysisId id : at.ids()) {
      walk = walk.child(id);
      Optional<String> p = tree.at(walk).path();
      if (p.isPresent()) {
        dir = dir.resolve(p.get()).normalize();
      }
    }
    return Optional.of(dir);
  }

  private static String optionList(Decision d) {
    return String.join(
        ", ",
        d.options().values().stream().filter(o -> !o.excluded()).map(o -> o.id().value()).toList());
  }

  /** Warns about options that no universe selects, once universes exist. */
  void warnUnusedOptions(List<ResolvedUniverse> universes, SourceIndex index) {
    if (universes.isEmpty() || defaulted) {
      return;
    }
    // One pass over the universes, not one per option: 1,000 options x 1,000 universes was 10^6.
    java.util.Map<QualifiedDecisionId, java.util.Set<OptionId>> chosen = new java.util.HashMap<>();
    for (ResolvedUniverse u : universes) {
      u.choices()
          .forEach((d, o) -> chosen.computeIfAbsent(d, k -> new java.util.HashSet<>()).add(o));
    }
    for (QualifiedDecisionId d : resolver.owners()) {
      Decision decision = tree.decision(d);
      java.util.Set<OptionId> used = chosen.getOrDefault(d, java.util.Set.of());
      for (Option o : decision.options().values()) {
        if (!used.contains(o.id()) && !o.excluded()) {
          index
              .find(d.analysis(), SourceIndex.Kind.OPTION, d.decision() + "." + o.id())
              .ifPresent(
                  s ->
                      problems.warning(
                          s.at(),
                          s.path(),
                          "option '"
                              + o.id()
                              + "' of decision '"
                              + d
                              + "' is selected by no"
                              + " universe in universes/; add a universe that selects it, or"
                              + " mark it excluded"));
        }
      }
    }
  }
}
