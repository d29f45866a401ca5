package io.lightcone.dask;

import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.model.OutputType;
import io.lightcone.model.Resources;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.TaskRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plans without lightcone-core: each task's "plumbing command" is its recipe run by {@code /bin/sh
 * -c} in the plan's directory, which is what a worker would run for {@code lc task run}.
 */
final class FakePlans {
  private final Path directory;
  private final List<PlannedTask> tasks = new ArrayList<>();

  private FakePlans(Path directory) {
    this.directory = directory;
  }

  static FakePlans in(Path directory) {
    return new FakePlans(directory);
  }

  FakePlans task(String id, String command, String... dependsOn) {
    return task(id, null, command, dependsOn);
  }

  FakePlans task(String id, Resources resources, String command, String... dependsOn) {
    Task.Builder t =
        Task.builder()
            .id(TaskId.parse(id))
            .analysisId("fake")
            .outputType(OutputType.DATA)
            .outputDir("results/" + id)
            .template(command)
            .command(command)
            .codeVersion("sha256:fake");
    Arrays.stream(dependsOn).map(TaskId::parse).forEach(t::addDependsOn);
    if (resources != null) {
      t.resources(resources);
    }
    tasks.add(
        PlannedTask.builder()
            .task(t.build())
            .action(PlannedTask.Action.RUN)
            .addReasons("missing")
            .build());
    return this;
  }

  FakePlans fresh(String id) {
    tasks.add(
        PlannedTask.builder()
            .task(
                Task.builder()
                    .id(TaskId.parse(id))
                    .analysisId("fake")
                    .outputType(OutputType.DATA)
                    .outputDir("results/" + id)
                    .template("true")
                    .command("true")
                    .codeVersion("sha256:fake")
                    .build())
            .action(PlannedTask.Action.SKIP)
            .addReasons("fresh")
            .build());
    return this;
  }

  Plan plan() {
    return new Plan(directory, tasks, List.of(), new ShellRuntime());
  }

  /** Runs each task's command with /bin/sh; there is no in-process runner. */
  private static final class ShellRuntime implements PlanRuntime {
    @Override
    public TaskRunner runner() {
      throw new UnsupportedOperationException("Dask runs tasks out of process only");
    }

    @Override
    public List<String> taskCommand(Task task) {
      return List.of("/bin/sh", "-c", task.command());
    }

    @Override
    public AutoCloseable lock() {
      return () -> {};
    }
  }
}
