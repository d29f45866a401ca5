package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lc run} on Dask through the shaded jar — both front doors: {@code --substrate dask} and
 * {@code --substrate snakemake --dispatch dask} — on a local Dask cluster it starts and stops
 * (python3-distributed and snakemake must be installed: without them these tests fail).
 */
class DaskJarIT {
  private static final Duration PATIENCE = Duration.ofSeconds(180);

  @TempDir Path dir;

  /** The command line of {@code lc run} through {@code door}, for {@code project}. */
  private static String[] run(String door, Path project) {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(
        door.equals("dask")
            ? List.of("--substrate", "dask")
            : List.of("--substrate", "snakemake", "--dispatch", "dask"));
    args.addAll(List.of("-C", project.toString()));
    return args.toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dask", "snakemake+dask"})
  void runOnDask_runsTheSample_printsTheCluster_andLeavesNothing(String door) throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    List<String> before = DaskProcesses.matching(DaskProcesses.DASK);

    JarLc.Run run = lc.start(Map.of(), false, run(door, project)).await(PATIENCE.toSeconds());

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.outLines())
        .anyMatch(l -> l.startsWith("Dask local cluster at tls://127.0.0.1:"));
    assertThat(run.outLines()).last().asString().matches("11 tasks: 11 succeeded in .*");
    assertThat(DaskProcesses.newSince(before, project)).isEmpty();
    JarLc.Run verify = lc.run("verify", "-C", project.toString());
    assertThat(verify.exitCode()).as(verify.all()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dask", "snakemake+dask"})
  void ctrlC_cancelsTheDaskTasks_killsTheirProcesses_andStopsTheCluster(String door)
      throws Exception {
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

    JarLc.Started started = lc.start(Map.of(), true, run(door, project));
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
