package io.lightcone.core.internal.project;

import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Condition;
import io.lightcone.model.Decision;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.OptionRef;
import io.lightcone.model.QualifiedDecisionId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The meaning of a universe, given the options it selects explicitly (keyed by owning decision):
 *
 * <ul>
 *   <li>each owning (non-alias) decision takes the selected option, else its default;
 *   <li>a decision is active when all its {@code when} conditions hold; a condition on an inactive
 *       decision is false ({@code ~} makes it true); inactive decisions have no choice;
 *   <li>an active decision with neither selection nor default is missing;
 *   <li>for every active decision's chosen option: each {@code requires} target must be active with
 *       that option chosen, and no {@code incompatible_with} target may be active with that option
 *       chosen.
 * </ul>
 *
 * The tree must have passed semantic validation (references resolve).
 */
public final class ChoiceResolver {
  private final Tree tree;
  private final List<QualifiedDecisionId> owners = new ArrayList<>();

  public ChoiceResolver(Tree tree) {
    this.tree = tree;
    tree.analyses()
        .forEach(
            (at, a) ->
                a.decisions().values().stream()
                    .filter(d -> !d.isAlias())
                    .forEach(d -> owners.add(new QualifiedDecisionId(at, d.id()))));
  }

  /** Every owning decision of the tree, in tree order. */
  public List<QualifiedDecisionId> owners() {
    return owners;
  }

  /** A broken constraint: {@code decision}'s option requires or excludes {@code target}'s. */
  record Violation(
      QualifiedDecisionId decision,
      OptionId option,
      boolean requires,
      OptionRef ref,
      QualifiedDecisionId target,
      Optional<OptionId> targetChoice) {}

  /**
   * The outcome of resolving a universe.
   *
   * @param choices the option of every active decision, tree order
   * @param defaulted active decisions whose option is their default
   * @param inactive decisions switched off by their {@code when}
   * @param missing active decisions with neither selection nor default
   */
  public record Resolution(
      Map<QualifiedDecisionId, OptionId> choices,
      Set<QualifiedDecisionId> defaulted,
      Set<QualifiedDecisionId> inactive,
      List<QualifiedDecisionId> missing,
      List<Violation> violations) {

    public boolean isValid() {
      return missing.isEmpty() && violations.isEmpty();
    }
  }

  public Resolution resolve(Map<QualifiedDecisionId, OptionId> explicit) {
    Map<QualifiedDecisionId, OptionId> tentative = new LinkedHashMap<>();
    Set<QualifiedDecisionId> defaulted = new LinkedHashSet<>();
    for (QualifiedDecisionId d : owners) {
      OptionId chosen = explicit.get(d);
      if (chosen == null) {
        Optional<OptionId> def = tree.decision(d).defaultOption();
        if (def.isPresent()) {
          chosen = def.get();
          defaulted.add(d);
        }
      }
      if (chosen != null) {
        tentative.put(d, chosen);
      }
    }
    Set<QualifiedDecisionId> active = activeSet(tentative);
    Map<QualifiedDecisionId, OptionId> choices = new LinkedHashMap<>();
    List<QualifiedDecisionId> missing = new ArrayList<>();
    Set<QualifiedDecisionId> inactive = new LinkedHashSet<>();
    for (QualifiedDecisionId d : owners) {
      if (!active.contains(d)) {
        inactive.add(d);
      } else if (tentative.containsKey(d)) {
        choices.put(d, tentative.get(d));
      } else {
        missing.add(d);
      }
    }
    defaulted.retainAll(choices.keySet());
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<QualifiedDecisionId, OptionId> e : choices.entrySet()) {
      Option option = tree.decision(e.getKey()).options().get(e.getValue());
      if (option == null) {
        continue; // an unknown option is reported where it was written
      }
      for (OptionRef ref : option.requires()) {
        target(e.getKey(), ref)
            .filter(t -> !ref.option().equals(choices.get(t)))
            .ifPresent(
                t ->
                    violations.add(
                        new Violation(
                            e.getKey(),
                            e.getValue(),
                            true,
                            ref,
                            t,
                            Optional.ofNullable(choices.get(t)))));
      }
      for (OptionRef ref : option.incompatibleWith()) {
        target(e.getKey(), ref)
            .filter(t -> ref.option().equals(choices.get(t)))
            .ifPresent(
                t ->
                    violations.add(
                        new Violation(
                            e.getKey(),
                            e.getValue(),
                            false,
                            ref,
                            t,
                            Optional.ofNullable(choices.get(t)))));
      }
    }
    return new Resolution(choices, defaulted, inactive, missing, violations);
  }

  private Optional<QualifiedDecisionId> target(QualifiedDecisionId from, OptionRef ref) {
    return tree.decisionRef(from.analysis(), ref.decision()).value();
  }

  /** Decisions whose conditions hold, found by iterating to a fixed point. */
  private Set<QualifiedDecisionId> activeSet(Map<QualifiedDecisionId, OptionId> tentative) {
    Set<QualifiedDecisionId> active = new LinkedHashSet<>(owners);
    for (int round = 0; round <= owners.size(); round++) {
      Set<QualifiedDecisionId> next = new LinkedHashSet<>();
      for (QualifiedDecisionId d : owners) {
        if (holds(d, tree.decision(d), tentative, active)) {
          next.add(d);
        }
      }
      if (next.equals(active)) {
        return active;
      }
      active = next;
    }
    return active;
  }

  private boolean holds(
      QualifiedDecisionId at,
      Decision d,
      Map<QualifiedDecisionId, OptionId> tentative,
      Set<QualifiedDecisionId> active) {
    Map<QualifiedDecisionId, OptionId> activeChoices = new LinkedHashMap<>(tentative);
    activeChoices.keySet().retainAll(active);
    for (Condition c : d.when()) {
      if (!holds(at.analysis(), c, activeChoices)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code c}, written in {@code scope}, holds when {@code choices} are the options of the
   * active decisions (an inactive decision has no entry).
   */
  public boolean holds(
      AnalysisPath scope, Condition c, Map<QualifiedDecisionId, OptionId> choices) {
    Optional<QualifiedDecisionId> target = tree.decisionRef(scope, c.option().decision()).value();
    boolean selected = target.isPresent() && c.option().option().equals(choices.get(target.get()));
    return selected != c.negated();
  }
}
