package io.lightcone.cli;

import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.model.OptionId;
import io.lightcone.model.OutputType;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.Resources;
import io.lightcone.model.UniverseId;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.TaskRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Plans made by hand, of any size, for renderers; they cannot be executed. */
final class SyntheticPlans {
  private SyntheticPlans() {}

  private static final PlanRuntime NOT_EXECUTABLE =
      new PlanRuntime() {
        @Override
        public TaskRunner runner() {
          throw new UnsupportedOperationException("a synthetic plan");
        }

        @Override
        public List<String> taskCommand(Task task) {
          throw new UnsupportedOperationException("a synthetic plan");
        }

        @Override
        public AutoCloseable lock() {
          throw new UnsupportedOperationException("a synthetic plan");
        }
      };

  static PlannedTask planned(
      String id, PlannedTask.Action action, List<String> reasons, String... dependsOn) {
    TaskId taskId = TaskId.parse(id);
    Task.Builder task =
        Task.builder()
            .id(taskId)
            .analysisId("root")
            .outputType(OutputType.METRIC)
            .outputDir("results/" + taskId.universe() + "/" + taskId.output())
            .template("python3 fit.py --out {output}")
            .command("python3 fit.py --out results/" + taskId.universe() + "/" + taskId.output())
            .codeVersion("sha256:" + "0".repeat(64))
            .putDecision("method", "ols");
    for (String d : dependsOn) {
      task.addDependsOn(TaskId.parse(d));
    }
    return PlannedTask.builder().task(task.build()).action(action).addAllReasons(reasons).build();
  }

  static ResolvedUniverse universe(String id) {
    return ResolvedUniverse.builder()
        .id(UniverseId.of(id))
        .putChoice(QualifiedDecisionId.parse("method"), OptionId.of("ols"))
        .putChoice(QualifiedDecisionId.parse("sub.offset"), OptionId.of("none"))
        .build();
  }

  static Plan of(List<PlannedTask> tasks, String... universes) {
    List<ResolvedUniverse> us = new ArrayList<>();
    for (String u : universes) {
      us.add(universe(u));
    }
    return new Plan(Path.of("/project"), tasks, us, NOT_EXECUTABLE);
  }

  /** {@code n} tasks in one universe, each depending on the one before, with resources. */
  static Plan chain(int n) {
    List<PlannedTask> tasks = new ArrayList<>(n);
    Resources resources =
        Resources.builder().cpus(2).memory("4Gi").gpus(1).timeLimit("30m").disk("1G").build();
    for (int i = 0; i < n; i++) {
      PlannedTask p =
          i == 0
              ? planned("u/out_0", PlannedTask.Action.RUN, List.of("missing"))
              : planned(
                  "u/out_" + i,
                  i % 2 == 0 ? PlannedTask.Action.RUN : PlannedTask.Action.SKIP,
                  List.of(i % 2 == 0 ? "upstream runs: u/out_" + (i - 1) : "fresh"),
                  "u/out_" + (i - 1));
      tasks.add(
          PlannedTask.builder()
              .from(p)
              .task(Task.builder().from(p.task()).resources(resources).build())
              .build());
    }
    return of(tasks, "u");
  }
}
