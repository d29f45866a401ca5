package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.Plan;
import io.lightcone.PlanOptions;
import io.lightcone.Task;
import io.lightcone.TaskResult;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.Substrate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What lightcone-core gives out-of-process substrates: the plumbing command and the clean-up. */
class PlanRuntimeTest {
  @TempDir Path dir;

  private Project project() {
    TestProjects.write(
        dir,
        "astra.yaml",
        "id: p\noutputs:\n  - id: o\n    type: data\n    recipe: {command: \"echo > {output}/v\"}\n",
        "universes/u.yaml",
        "{}\n");
    return Project.load(dir);
  }

  @Test
  void taskCommand_carriesTheSubstrateAndEveryRunOption() {
    Project p = project();
    Plan plan =
        p.plan(
            PlanOptions.defaults(),
            RunOptions.builder()
                .strictInputs(true)
                .keepFailed(true)
                .cache(false)
                .sandbox(SandboxMode.STRICT)
                .network(false)
                .sandboxFallback(true)
                .build());
    Task task = plan.tasks().get(0).task();
    assertThat(plan.taskCommand(task, "snakemake"))
        .endsWith(
            "task",
            "run",
            "--project",
            p.directory().toString(),
            "u/o",
            "--expect-code-version",
            task.codeVersion(),
            "--substrate",
            "snakemake",
            "--strict-inputs",
            "--keep-failed",
            "--no-cache",
            "--sandbox",
            "strict",
            "--no-network",
            "--sandbox-fallback");
    assertThat(p.plan().taskCommand(task, "dask"))
        .endsWith("--substrate", "dask", "--sandbox", "on")
        .doesNotContain(
            "--strict-inputs", "--keep-failed", "--no-cache", "--no-network", "--sandbox-fallback");
  }

  @Test
  void executionEnd_killsRecordedRecipes_andRemovesStaging_thatAnOutOfProcessRunLeft()
      throws Exception {
    Plan plan = project().plan();
    Path staging = dir.resolve("results/u/.o.staging-deadbeef");
    Process[] orphan = new Process[1];
    // Plays a substrate whose plumbing process was killed mid-task: its recipe (in a session of
    // its own, recorded as the task runner records it) and its staging directory remain.
    Substrate crashing =
        new Substrate() {
          @Override
          public String name() {
            return "crashing";
          }

          @Override
          public ExecutionReport execute(ExecutionContext context) {
            try {
              Files.createDirectories(staging);
              orphan[0] = new ProcessBuilder("/usr/bin/setsid", "sleep", "60").start();
              Path running = dir.resolve(".lightcone/running");
              Files.createDirectories(running);
              Files.writeString(
                  running.resolve(String.valueOf(orphan[0].pid())),
                  orphan[0].toHandle().info().startInstant().orElseThrow().toString());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return new ExecutionReport(
                name(),
                List.of(
                    TaskResult.of(
                        context.plan().tasks().get(0).task().id(),
                        TaskResult.Outcome.CANCELLED,
                        "cancelled")),
                Duration.ZERO);
          }
        };
    plan.execute(crashing);
    assertThat(staging).doesNotExist();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (orphan[0].isAlive()) {
      assertThat(System.nanoTime()).as("the orphan recipe still runs").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(dir.resolve(".lightcone/running")).isEmptyDirectory();
  }

  @Test
  void runner_recordsTheSubstrateThatUsesIt_inTheManifest() throws IOException {
    Plan plan = project().plan();
    Substrate inProcess =
        new Substrate() {
          @Override
          public String name() {
            return "in-process";
          }

          @Override
          public ExecutionReport execute(ExecutionContext context) {
            List<TaskResult> results = new java.util.ArrayList<>();
            for (var t : context.plan().tasks()) {
              results.add(
                  context.runner().run(t.task(), 1, context.cancellation(), context.listener()));
            }
            return new ExecutionReport(name(), results, Duration.ZERO);
          }
        };
    assertThat(plan.execute(inProcess).succeeded()).isTrue();
    assertThat(Files.readString(dir.resolve("results/u/o/.lightcone-manifest.json")))
        .contains("\"substrate\": \"in-process\"");
  }
}
