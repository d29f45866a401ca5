package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lc run --substrate dask} through the shaded jar, on a local Dask cluster it starts and
 * stops (python3-distributed must be installed: without it these tests fail, exit code 4).
 */
class DaskJarIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void runOnDask_runsTheSample_printsTheCluster_andLeavesNothing() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    List<String> before = DaskProcesses.matching(DaskProcesses.DASK);

    JarLc.Run run =
        lc.start(Map.of(), false, "run", "--substrate", "dask", "-C", project.toString())
            .await(PATIENCE.toSeconds());

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.outLines())
        .anyMatch(l -> l.startsWith("Dask local cluster at tcp://127.0.0.1:"));
    assertThat(run.outLines()).last().asString().matches("11 tasks: 11 succeeded in .*");
    assertThat(DaskProcesses.newSince(before, project)).isEmpty();
    JarLc.Run verify = lc.run("verify", "-C", project.toString());
    assertThat(verify.exitCode()).as(verify.all()).isZero();
  }

  @Test
  void ctrlC_cancelsTheDaskTasks_killsTheirProcesses_andStopsTheCluster() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = dir.resolve("slow");
    Files.createDirectories(project.resolve("universes"));
    Files.writeString(
        project.resolve("astra.yaml"),
        """
        id: slow
        outputs:
          - id: a
            type: data
            recipe: {command: "echo $$ > ../a.pid; sleep 300; echo > {output}/v"}
          - id: b
            type: data
            inputs: [a]
            recipe: {command: "echo > {output}/v"}
        """);
    Files.writeString(project.resolve("universes/u.yaml"), "{}\n");
    List<String> before = DaskProcesses.matching(DaskProcesses.DASK);

    JarLc.Started started =
        lc.start(Map.of(), true, "run", "--substrate", "dask", "-C", project.toString());
    Await.until(
        PATIENCE, "the recipe runs on the Dask worker", () -> Files.exists(dir.resolve("a.pid")));
    new ProcessBuilder("kill", "-INT", String.valueOf(started.process().pid()))
        .start()
        .waitFor(10, TimeUnit.SECONDS);
    JarLc.Run run = started.await(PATIENCE.toSeconds());

    assertThat(run.exitCode()).as(run.all()).isEqualTo(130);
    assertThat(run.out()).contains("2 tasks: 2 cancelled");
    String recipe = Files.readString(dir.resolve("a.pid")).strip();
    assertThat(DaskProcesses.alive(Long.parseLong(recipe))).as("recipe %s", recipe).isFalse();
    assertThat(DaskProcesses.newSince(before, project)).isEmpty();
    assertThat(project.resolve("results/u/a")).doesNotExist();
  }
}
