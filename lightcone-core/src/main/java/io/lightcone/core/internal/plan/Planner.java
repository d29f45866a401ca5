package io.lightcone.core.internal.plan;

import io.lightcone.PlanOptions;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.core.internal.Parallel;
import io.lightcone.core.internal.cache.CacheStore;
import io.lightcone.core.internal.status.ExternalVersions;
import io.lightcone.core.internal.status.Freshness;
import io.lightcone.core.internal.status.InputMemo;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.ResolvedUniverse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, for every task of the selected universes, whether it runs and why: targets and what they
 * need; forced; not fresh (missing, code changed, an input changed); or an upstream runs.
 */
public final class Planner {
  private Planner() {}

  public static List<PlannedTask> plan(
      ProjectState state,
      List<ResolvedUniverse> universes,
      PlanOptions options,
      int threads,
      Optional<CacheStore> cache,
      Predicate<Task> cacheable,
      boolean strictInputs,
      InputMemo inputs) {
    Set<QualifiedOutputId> targets = new LinkedHashSet<>();
    for (String t : options.targets()) {
      QualifiedOutputId id = Targets.resolve(state.tree(), t);
      targets.add(state.tree().outputProducer(id).value().orElse(id));
    }
    // One set of versions for judging freshness and for cache keys: each input is hashed once.
    ExternalVersions external = new ExternalVersions(state.directory(), threads, inputs);
    Freshness freshness = new Freshness(state.directory(), external);
    // Universes are independent: plan them in parallel, keep their order in the result.
    List<List<PlannedTask>> perUniverse =
        Parallel.map(
            universes,
            threads,
            u ->
                plan(
                    state,
                    u,
                    targets,
                    options,
                    freshness,
                    cache,
                    cacheable,
                    external,
                    strictInputs));
    List<PlannedTask> out = new ArrayList<>();
    perUniverse.forEach(out::addAll);
    return out;
  }

  private static List<PlannedTask> plan(
      ProjectState state,
      ResolvedUniverse u,
      Set<QualifiedOutputId> targets,
      PlanOptions options,
      Freshness freshness,
      Optional<CacheStore> cache,
      Predicate<Task> cacheable,
      ExternalVersions external,
      boolean strictInputs) {
    List<PlannedTask> out = new ArrayList<>();
    {
      List<Task> tasks = state.tasks(u);
      if (!targets.isEmpty()) {
        tasks = closure(tasks, targets);
      }
      Map<TaskId, Freshness.Verdict> verdicts = new HashMap<>();
      Set<TaskId> running = new HashSet<>();
      for (Task t : tasks) {
        Freshness.Verdict v = freshness.judge(t, verdicts);
        verdicts.put(t.id(), v);
        List<String> reasons = new ArrayList<>();
        boolean target = targets.contains(t.id().output());
        if (options.forceAll() || (options.force() && (target || targets.isEmpty()))) {
          reasons.add("forced");
        }
        if (!v.fresh()) {
          reasons.addAll(v.reasons());
        } else {
          for (TaskInput in : t.inputs()) {
            if (in.upstream().isPresent() && running.contains(in.upstream().get())) {
              reasons.add("upstream runs: " + in.id());
            }
          }
        }
        PlannedTask.Action action =
            reasons.isEmpty() ? PlannedTask.Action.SKIP : PlannedTask.Action.RUN;
        if (action == PlannedTask.Action.RUN
            && cache.isPresent()
            && cacheable.test(t)
            && !reasons.contains("forced")
            && cached(t, verdicts, cache.get(), external, strictInputs, state)) {
          action = PlannedTask.Action.RESTORE;
          reasons.add("cached");
        }
        if (action == PlannedTask.Action.RUN) {
          running.add(t.id());
        }
        out.add(
            PlannedTask.builder()
                .task(t)
                .action(action)
                .reasons(reasons.isEmpty() ? List.of("fresh") : reasons)
                .build());
      }
    }
    return out;
  }

  /**
   * Whether the cache holds this task's action. Its inputs must be known now: every upstream fresh
   * (an upstream that runs may change what this one reads).
   */
  private static boolean cached(
      Task t,
      Map<TaskId, Freshness.Verdict> verdicts,
      CacheStore cache,
      ExternalVersions external,
      boolean strictInputs,
      ProjectState state) {
    Map<String, String> inputs = new java.util.LinkedHashMap<>();
    for (TaskInput in : t.inputs()) {
      if (in.isOutput()) {
        Freshness.Verdict up = in.upstream().map(verdicts::get).orElse(null);
        if (up == null || !up.fresh() || up.manifest().isEmpty()) {
          return false;
        }
        inputs.put(in.id(), up.manifest().get().dataVersion());
      } else {
        inputs.put(in.id(), external.version(in.path(), strictInputs));
      }
    }
    return cache.contains(
        CacheStore.key(
            t.id().output().toString(), t.codeVersion(), external.code(t.codeFiles()), inputs));
  }

  /** The targets' tasks and everything they depend on, in the original order. */
  private static List<Task> closure(List<Task> tasks, Set<QualifiedOutputId> targets) {
    Map<TaskId, Task> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    Set<TaskId> keep = new HashSet<>();
    List<TaskId> stack = new ArrayList<>();
    tasks.stream().filter(t -> targets.contains(t.id().output())).forEach(t -> stack.add(t.id()));
    while (!stack.isEmpty()) {
      TaskId id = stack.remove(stack.size() - 1);
      if (keep.add(id) && byId.containsKey(id)) {
        stack.addAll(byId.get(id).dependsOn());
      }
    }
    return tasks.stream().filter(t -> keep.contains(t.id())).toList();
  }
}
