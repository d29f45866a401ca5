package io.lightcone.snakemake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.Project;
import io.lightcone.event.ExecutionListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the Snakemake substrate, with the real snakemake and plumbing. */
class SnakemakeSubstrateIT {
  @TempDir Path dir;

  private Project project(String astra) throws IOException {
    Files.writeString(dir.resolve("astra.yaml"), astra);
    Files.createDirectories(dir.resolve("universes"));
    Files.writeString(dir.resolve("universes/u.yaml"), "{}\n");
    return Project.load(dir);
  }

  private static final String TWO =
      """
      id: two
      outputs:
        - id: first
          type: data
          recipe: {command: "echo 1 > {output}/v"}
        - id: second
          type: data
          inputs: [first]
          recipe:
            command: "cat {inputs.first}/v > {output}/v"
            resources: {cpus: 1, memory: 100Mi}
      """;

  @Test
  void snakemake_runsThePlan_fromTheWorkflowItWrote_withLiveProgress() throws IOException {
    Project p = project(TWO);
    List<String> events = new ArrayList<>();
    ExecutionListener listener =
        new ExecutionListener() {
          @Override
          public synchronized void taskStarted(TaskId task, int attempt) {
            events.add("start " + task);
          }

          @Override
          public synchronized void taskFinished(TaskResult result) {
            events.add("finish " + result.task() + " " + result.outcome());
          }
        };
    ExecutionReport report = p.plan().execute(SnakemakeSubstrate.create(), listener);
    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(report.substrate()).isEqualTo("snakemake");
    assertThat(events)
        .containsExactly(
            "start u/first",
            "finish u/first SUCCEEDED",
            "start u/second",
            "finish u/second SUCCEEDED");
    assertThat(dir.resolve(".lightcone/Snakefile")).content().contains("rule second:");
    assertThat(dir.resolve(".lightcone/Snakefile.json")).content().contains("\"u/second\"");
    assertThat(dir.resolve(".lightcone/logs/snakemake.log"))
        .content()
        .contains("rule second:")
        .contains("2 of 3 steps");
    assertThat(dir.resolve("results/u/second/.lightcone-manifest.json"))
        .content()
        .contains("\"substrate\": \"snakemake\"");
    assertThat(Project.load(dir).verify().passed()).isTrue();
  }

  @Test
  void dryRun_saysWhatSnakemakeWouldRun_andRunsNothing() throws IOException {
    Project p = project(TWO);
    String dry = SnakemakeSubstrate.create().dryRun(p.plan());
    assertThat(dry).containsPattern("first\\s+1").containsPattern("second\\s+1");
    assertThat(dir.resolve("results")).doesNotExist();
    assertThat(dir.resolve(".lightcone/Snakefile")).exists();
    p.plan().execute(SnakemakeSubstrate.create()).throwIfFailed();
    assertThat(SnakemakeSubstrate.create().dryRun(Project.load(dir).plan()))
        .contains("nothing to run");
  }

  @Test
  void generatedSnakefile_runByHand_publishesThroughThePlumbingCommand() throws Exception {
    Project p = project(TWO);
    SnakemakeSubstrate.create().dryRun(p.plan()); // writes the workflow
    ProcessBuilder byHand =
        new ProcessBuilder(
                "snakemake",
                "--snakefile",
                dir.resolve(".lightcone/Snakefile").toString(),
                "--directory",
                dir.toString(),
                "--cores",
                "2",
                "--forceall",
                "--nolock",
                "--keep-incomplete",
                "LIGHTCONE_TARGETS")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("by-hand.log").toFile());
    byHand.environment().remove("LIGHTCONE_PLUMBING");
    Process snakemake = byHand.start();
    assertThat(snakemake.waitFor()).as(Files.readString(dir.resolve("by-hand.log"))).isZero();
    Project after = Project.load(dir);
    assertThat(after.verify().passed()).isTrue();
    assertThat(after.plan().toRun()).isEmpty();
    assertThat(dir.resolve("results/u/second/.lightcone-manifest.json"))
        .content()
        .contains("\"substrate\": \"snakemake\"");
  }

  @Test
  void missingSnakemake_isAnEnvironmentError_andRunsNothing() throws IOException {
    Plan plan = project(TWO).plan();
    SnakemakeSubstrate missing =
        SnakemakeSubstrate.create().executable(dir.resolve("no/snakemake"));
    assertThatThrownBy(() -> plan.execute(missing))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("apt-get install snakemake")
        .extracting(e -> ((LightconeException) e).kind())
        .isEqualTo(LightconeException.Kind.ENVIRONMENT);
    assertThat(dir.resolve("results")).doesNotExist();
    // The run lock was released: the next execution may start.
    assertThat(plan.execute(SnakemakeSubstrate.create()).succeeded()).isTrue();
  }

  @Test
  void crashedSnakemake_doesNotBlockTheNextRun() throws Exception {
    Project p =
        project(
            """
            id: crash
            outputs:
              - id: slow
                type: data
                recipe:
                  command: "echo $$ > started; i=0; while [ ! -f go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo ok > {output}/v"
            """);
    // A stale lock of a snakemake killed long ago: Lightcone's own run lock serialises runs.
    Files.createDirectories(dir.resolve(".snakemake/locks"));
    Files.writeString(dir.resolve(".snakemake/locks/0.output.lock"), dir + "/results/u/slow\n");
    // The recipe writes its pid into the project root for the test: unsandboxed.
    Execution first =
        p.plan(
                io.lightcone.PlanOptions.defaults(),
                io.lightcone.core.RunOptions.builder()
                    .sandbox(io.lightcone.core.SandboxMode.OFF)
                    .build())
            .start(SnakemakeSubstrate.create(), ExecutionListener.NONE);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(dir.resolve("started"))
        || Files.readString(dir.resolve("started")).isBlank()) {
      assertThat(System.nanoTime()).as("the recipe did not start").isLessThan(deadline);
      Thread.onSpinWait();
    }
    ProcessHandle snakemake = snakemake().orElseThrow();
    snakemake.destroyForcibly(); // SIGKILL: no clean-up of its own, as after a crash
    ExecutionReport crashed = first.await();
    assertThat(crashed.results()).singleElement().matches(r -> !r.outcome().ok());
    assertThat(dir.resolve("results/u/slow/v")).doesNotExist();
    // Its jobs do not outlive it: no plumbing process, no recipe.
    long quiet = System.nanoTime() + 20_000_000_000L;
    long recipe = Long.parseLong(Files.readString(dir.resolve("started")).strip());
    while (ProcessHandle.of(recipe).map(ProcessHandle::isAlive).orElse(false)
        || ProcessHandle.allProcesses()
            .anyMatch(h -> h.info().commandLine().orElse("").contains(dir.toString()))) {
      assertThat(System.nanoTime()).as("a job of the crashed run still runs").isLessThan(quiet);
      Thread.onSpinWait();
    }

    Files.writeString(dir.resolve("go"), "");
    ExecutionReport next = Project.load(dir).plan().execute(SnakemakeSubstrate.create());
    assertThat(next.results())
        .singleElement()
        .extracting(TaskResult::outcome)
        .isEqualTo(Outcome.SUCCEEDED);
    assertThat(dir.resolve("results/u/slow/v")).content().isEqualTo("ok\n");
  }

  /** The snakemake this JVM started (through setsid), once it runs. */
  private static Optional<ProcessHandle> snakemake() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> found =
          ProcessHandle.current()
              .descendants()
              .filter(
                  h ->
                      h.info().commandLine().orElse("").contains("snakemake")
                          && h.info().commandLine().orElse("").contains("--snakefile"))
              .findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.onSpinWait();
    }
    return Optional.empty();
  }
}
