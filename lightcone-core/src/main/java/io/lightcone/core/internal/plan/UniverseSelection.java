package io.lightcone.core.internal.plan;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.project.ChoiceResolver;
import io.lightcone.core.internal.project.Suggest;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Which universes a command works on. The known universes are the project's own (its universe
 * files, or the {@code default} one) and then every enumerated universe that has a {@code
 * results/mv-...} directory, matched to the current multiverse by id: the manifests on disk are the
 * record of what ran, no other state is kept. A selector picks one universe by id, by readable name
 * ({@link ResolvedUniverse#name()}) or by choices ({@code
 * estimator=median,calibration.offset=none}).
 */
public final class UniverseSelection {
  private UniverseSelection() {}

  /**
   * The known universes, and the {@code mv-} directories under a {@code results/} that no universe
   * of the current multiverse has (their decisions or options have changed since they ran).
   */
  public record Known(List<ResolvedUniverse> universes, List<String> stray) {}

  /**
   * The project's universes, then the enumerated ones with results on disk, in multiverse order.
   */
  public static Known known(ProjectState state) {
    List<ResolvedUniverse> declared = state.loaded().universes();
    Set<String> onDisk = new TreeSet<>();
    Set<String> bases = new LinkedHashSet<>();
    for (AnalysisPath at : state.tree().analyses().keySet()) {
      bases.add(state.deriver().directory(at));
    }
    for (String base : bases) {
      Path results = state.directory().resolve(base.isEmpty() ? "results" : base + "/results");
      if (!Files.isDirectory(results)) {
        continue;
      }
      try (Stream<Path> s = Files.list(results)) {
        s.filter(Files::isDirectory)
            .map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("mv-"))
            .forEach(onDisk::add);
      } catch (IOException e) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "cannot list " + results + ": " + e.getMessage(),
            e);
      }
    }
    declared.forEach(u -> onDisk.remove(u.id().value()));
    if (onDisk.isEmpty()) {
      return new Known(declared, List.of());
    }
    List<ResolvedUniverse> all = new ArrayList<>(declared);
    Set<String> matched = new HashSet<>();
    for (ResolvedUniverse u : state.multiverse()) {
      if (onDisk.contains(u.id().value())) {
        all.add(u);
        matched.add(u.id().value());
      }
    }
    onDisk.removeAll(matched);
    return new Known(List.copyOf(all), List.copyOf(onDisk));
  }

  /**
   * The universes {@code selectors} name, in order and each once; all of {@code known} (or of the
   * multiverse) when there is none. A selector is looked up in the first pool, then the other: with
   * {@code multiverse} the multiverse comes first.
   *
   * @throws LightconeException of kind USER_INPUT for a selector that names no universe, several,
   *     or an unknown decision or option
   */
  public static List<ResolvedUniverse> select(
      ProjectState state,
      List<ResolvedUniverse> known,
      List<String> selectors,
      boolean multiverse) {
    if (selectors.isEmpty()) {
      return multiverse ? state.multiverse() : known;
    }
    Supplier<List<ResolvedUniverse>> first = multiverse ? state::multiverse : () -> known;
    Supplier<List<ResolvedUniverse>> second = multiverse ? () -> known : state::multiverse;
    List<ResolvedUniverse> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String selector : selectors) {
      ResolvedUniverse u = resolve(state.tree(), first, second, selector);
      if (seen.add(u.id().value())) {
        out.add(u);
      }
    }
    return out;
  }

  /** One selector against two pools, the second looked at only when the first has no match. */
  static ResolvedUniverse resolve(
      Tree tree,
      Supplier<List<ResolvedUniverse>> first,
      Supplier<List<ResolvedUniverse>> second,
      String raw) {
    String selector = raw.strip();
    if (selector.isEmpty()) {
      throw userInput(
          "an empty universe selector; give an id, a name or choices (-u 'decision=option,...')");
    }
    if (selector.contains("=")) {
      Map<QualifiedDecisionId, OptionId> wanted = parseChoices(tree, selector);
      for (Supplier<List<ResolvedUniverse>> pool : List.of(first, second)) {
        List<ResolvedUniverse> found =
            distinct(pool.get().stream().filter(u -> matches(u, wanted)).toList());
        if (found.size() == 1) {
          return found.get(0);
        }
        if (found.size() > 1) {
          throw userInput(
              "universe selector '"
                  + selector
                  + "' matches "
                  + found.size()
                  + " universes; name more decisions to pick one: "
                  + list(found));
        }
      }
      throw userInput(
          "no universe chooses "
              + selector
              + ": the combination breaks a requires or incompatible_with constraint, or a"
              + " decision named is not active with the other choices (lc plan --multiverse --json"
              + " lists every universe and its decisions)");
    }
    for (Supplier<List<ResolvedUniverse>> pool : List.of(first, second)) {
      for (ResolvedUniverse u : pool.get()) {
        if (u.id().value().equals(selector)) {
          return u;
        }
      }
    }
    for (Supplier<List<ResolvedUniverse>> pool : List.of(first, second)) {
      if (!isName(selector)) {
        break;
      }
      List<ResolvedUniverse> found =
          distinct(pool.get().stream().filter(u -> u.name().equals(selector)).toList());
      if (found.size() == 1) {
        return found.get(0);
      }
      if (found.size() > 1) {
        throw userInput(
            "universe name '"
                + selector
                + "' is shared by "
                + found.size()
                + " universes; select one by id: "
                + list(found));
      }
    }
    List<ResolvedUniverse> known = first.get();
    List<String> words = new ArrayList<>();
    for (Supplier<List<ResolvedUniverse>> pool : List.of(first, second)) {
      pool.get()
          .forEach(
              u -> {
                words.add(u.id().value());
                words.add(u.name());
              });
    }
    return throwUnknown(selector, known, words);
  }

  private static ResolvedUniverse throwUnknown(
      String selector, List<ResolvedUniverse> known, List<String> words) {
    throw userInput(
        "no universe '"
            + selector
            + "'"
            + Suggest.hint(selector, words)
            + "; universes: "
            + (known.isEmpty() ? "(none)" : list(known))
            + "; select by id, by name, or by choices (-u 'decision=option,...')");
  }

  /** Whether {@code s} could be an enumerated universe's name: option ids joined by {@code -}. */
  private static boolean isName(String s) {
    for (String part : s.split("-", -1)) {
      if (!io.lightcone.model.Identifiers.hasEntityForm(part)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(ResolvedUniverse u, Map<QualifiedDecisionId, OptionId> wanted) {
    for (Map.Entry<QualifiedDecisionId, OptionId> e : wanted.entrySet()) {
      if (!e.getValue().equals(u.choices().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * One universe per set of choices, the first (a universe file before the enumerated universe with
   * the same choices): selecting by choices or name cannot tell them apart, and need not.
   */
  private static List<ResolvedUniverse> distinct(List<ResolvedUniverse> found) {
    Map<Map<QualifiedDecisionId, OptionId>, ResolvedUniverse> byChoices = new LinkedHashMap<>();
    found.forEach(u -> byChoices.putIfAbsent(u.choices(), u));
    return List.copyOf(byChoices.values());
  }

  /** Up to 10 universes, {@code name (id)}, then how many more. */
  private static String list(List<ResolvedUniverse> universes) {
    List<String> shown = new ArrayList<>();
    for (ResolvedUniverse u : universes.subList(0, Math.min(10, universes.size()))) {
      shown.add(u.name().equals(u.id().value()) ? u.name() : u.name() + " (" + u.id() + ")");
    }
    return String.join(", ", shown)
        + (universes.size() > 10 ? " and " + (universes.size() - 10) + " more" : "");
  }

  /**
   * {@code decision=option[,decision=option...]} as choices keyed by the owning decision. A
   * decision is named by its qualified id ({@code calibration.offset}, aliases accepted) or, when
   * only one analysis declares it, by its bare id.
   *
   * @throws LightconeException of kind USER_INPUT naming the pair and what is known
   */
  static Map<QualifiedDecisionId, OptionId> parseChoices(Tree tree, String selector) {
    Map<String, QualifiedDecisionId> qualified = new LinkedHashMap<>();
    Map<String, Set<QualifiedDecisionId>> bare = new LinkedHashMap<>();
    for (Map.Entry<AnalysisPath, io.lightcone.model.Analysis> a : tree.analyses().entrySet()) {
      for (DecisionId d : a.getValue().decisions().keySet()) {
        tree.decisionOwner(a.getKey(), d.value())
            .value()
            .ifPresent(
                owner -> {
                  qualified.put(a.getKey().qualify(d.value()), owner);
                  bare.computeIfAbsent(d.value(), k -> new LinkedHashSet<>()).add(owner);
                });
      }
    }
    List<String> owners =
        new ChoiceResolver(tree).owners().stream().map(QualifiedDecisionId::toString).toList();
    Map<QualifiedDecisionId, OptionId> out = new LinkedHashMap<>();
    for (String rawPair : selector.split(",", -1)) {
      String pair = rawPair.strip();
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1 || pair.indexOf('=', eq + 1) >= 0) {
        throw userInput(
            "universe selector '"
                + selector
                + "': '"
                + pair
                + "' is not decision=option (e.g. -u 'fit_method=ols,magnitude=v_band')");
      }
      String name = pair.substring(0, eq).strip();
      String optionName = pair.substring(eq + 1).strip();
      QualifiedDecisionId owner = qualified.get(name);
      if (owner == null && !name.contains(".")) {
        Set<QualifiedDecisionId> candidates = bare.getOrDefault(name, Set.of());
        if (candidates.size() > 1) {
          throw userInput(
              "universe selector '"
                  + selector
                  + "': decision '"
                  + name
                  + "' is declared in several analyses ("
                  + String.join(", ", candidates.stream().map(Object::toString).toList())
                  + "); qualify it, e.g. '"
                  + candidates.iterator().next()
                  + "="
                  + optionName
                  + "'");
        }
        owner = candidates.isEmpty() ? null : candidates.iterator().next();
      }
      if (owner == null) {
        throw userInput(
            "universe selector '"
                + selector
                + "': no decision '"
                + name
                + "'"
                + Suggest.hint(name, qualified.keySet())
                + " (decisions: "
                + String.join(", ", owners)
                + ")");
      }
      Decision decision = tree.decision(owner);
      List<String> options =
          decision.options().values().stream()
              .filter(o -> !o.excluded())
              .map(o -> o.id().value())
              .toList();
      Option option =
          decision.options().values().stream()
              .filter(o -> o.id().value().equals(optionName))
              .findFirst()
              .orElse(null);
      if (option == null || option.excluded()) {
        throw userInput(
            "universe selector '"
                + selector
                + "': decision '"
                + owner
                + "' has no "
                + (option == null ? "" : "selectable (it is excluded) ")
                + "option '"
                + optionName
                + "'"
                + (option == null ? Suggest.hint(optionName, options) : "")
                + " (options: "
                + String.join(", ", options)
                + ")");
      }
      OptionId previous = out.put(owner, option.id());
      if (previous != null && !previous.equals(option.id())) {
        throw userInput(
            "universe selector '"
                + selector
                + "' chooses both '"
                + previous
                + "' and '"
                + option.id()
                + "' for decision '"
                + owner
                + "'; choose one");
      }
    }
    return out;
  }

  private static LightconeException userInput(String message) {
    return new LightconeException(LightconeException.Kind.USER_INPUT, message);
  }
}
