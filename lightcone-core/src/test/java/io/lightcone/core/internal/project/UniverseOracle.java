package io.lightcone.core.internal.project;

import io.lightcone.core.internal.project.ProjectGenerator.Cond;
import io.lightcone.core.internal.project.ProjectGenerator.Dec;
import io.lightcone.core.internal.project.ProjectGenerator.Link;
import io.lightcone.core.internal.project.ProjectGenerator.Opt;
import io.lightcone.core.internal.project.ProjectGenerator.Pick;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a universe is valid straight from the rules, on the generator's own record of
 * what every name means — no {@link Tree}, no {@link ChoiceResolver}:
 *
 * <ol>
 *   <li>every selection names a decision declared where it is written, with an option of the
 *       decision that owns it that is not excluded; two names of one owner select the same option;
 *   <li>an owner takes its selection, else its default;
 *   <li>an owner is active iff each of its {@code when} conditions holds, {@code d.o} holding iff
 *       d's owner is active and took o, {@code ~d.o} iff not (an alias's own {@code when} plays no
 *       part: a universe chooses for owners);
 *   <li>an active owner without an option is an error;
 *   <li>for every active owner's option, each {@code requires} target is active with that option
 *       and no {@code incompatible_with} target is.
 * </ol>
 */
final class UniverseOracle {
  private UniverseOracle() {}

  /**
   * The verdict.
   *
   * @param choices when valid, the option of every active owner
   * @param defaulted when valid, the active owners whose option is their default
   * @param why when invalid, the first rule broken
   */
  record Verdict(
      boolean valid,
      Map<QualifiedDecisionId, OptionId> choices,
      Set<QualifiedDecisionId> defaulted,
      String why) {
    static Verdict invalid(String why) {
      return new Verdict(false, Map.of(), Set.of(), why);
    }
  }

  static Verdict judge(List<Dec> owners, List<Pick> picks) {
    Map<Dec, String> explicit = new HashMap<>();
    for (Pick p : picks) {
      if (p.named() == null) {
        return Verdict.invalid("no decision '" + p.name() + "' at " + p.node().at);
      }
      Dec owner = p.named().owner();
      Opt option = owner.options.get(p.option());
      if (option == null) {
        return Verdict.invalid(owner + " has no option " + p.option());
      }
      if (option.excluded) {
        return Verdict.invalid(owner + "." + p.option() + " is excluded");
      }
      String before = explicit.putIfAbsent(owner, p.option());
      if (before != null && !before.equals(p.option())) {
        return Verdict.invalid(owner + " selected as both " + before + " and " + p.option());
      }
    }
    Map<Dec, String> taken = new HashMap<>();
    for (Dec d : owners) {
      String o = explicit.containsKey(d) ? explicit.get(d) : d.defaultOption;
      if (o != null) {
        taken.put(d, o);
      }
    }
    Map<Dec, Boolean> active = new HashMap<>();
    Map<QualifiedDecisionId, OptionId> choices = new LinkedHashMap<>();
    Set<QualifiedDecisionId> defaulted = new HashSet<>();
    for (Dec d : owners) {
      if (!isActive(d, taken, active)) {
        continue;
      }
      if (!taken.containsKey(d)) {
        return Verdict.invalid(d + " is active and has neither selection nor default");
      }
      choices.put(d.qualified(), OptionId.of(taken.get(d)));
      if (!explicit.containsKey(d)) {
        defaulted.add(d.qualified());
      }
    }
    for (Dec d : owners) {
      if (!active.get(d) || !taken.containsKey(d)) {
        continue;
      }
      Opt chosen = d.options.get(taken.get(d));
      for (Link l : chosen.requires) {
        if (!chose(l, taken, active)) {
          return Verdict.invalid(d + "." + chosen.id + " requires " + l.named() + "." + l.option());
        }
      }
      for (Link l : chosen.incompatible) {
        if (chose(l, taken, active)) {
          return Verdict.invalid(
              d + "." + chosen.id + " is incompatible with " + l.named() + "." + l.option());
        }
      }
    }
    return new Verdict(true, choices, defaulted, "");
  }

  /** Recursive: the generator keeps owners' {@code when} acyclic, so this terminates. */
  private static boolean isActive(Dec d, Map<Dec, String> taken, Map<Dec, Boolean> memo) {
    Boolean known = memo.get(d);
    if (known != null) {
      return known;
    }
    boolean all = true;
    for (Cond c : d.when) {
      if (chose(c.link(), taken, memo) == c.negated()) {
        all = false;
      }
    }
    memo.put(d, all);
    return all;
  }

  private static boolean chose(Link l, Map<Dec, String> taken, Map<Dec, Boolean> memo) {
    Dec owner = l.named().owner();
    return isActive(owner, taken, memo) && l.option().equals(taken.get(owner));
  }
}
