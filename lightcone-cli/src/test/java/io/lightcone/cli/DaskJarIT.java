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

    // The recipe records its pid outside the project, which the sandbox would refuse.
    List<String> args = new ArrayList<>(List.of(run(door, project)));
    args.addAll(1, List.of("--sandbox", "off"));
    JarLc.Started started = lc.start(Map.of(), true, args.toArray(String[]::new));
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

  /**
   * Issue 16, finding 2: while {@code lc} runs, a Dask client without the run's credentials — a
   * plain {@code tcp://} one, and a {@code tls://} one without a certificate — cannot reach the
   * cluster {@code lc} started; the run itself succeeds.
   */
  @ParameterizedTest
  @ValueSource(strings = {"dask", "snakemake+dask"})
  void clientWithoutTheCredentials_isRefusedByTheClusterLcStarted_whileTheRunSucceeds(String door)
      throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = dir.resolve("gate");
    Files.createDirectories(project.resolve("universes"));
    Files.writeString(
        project.resolve("astra.yaml"),
        """
        id: gate
        outputs:
          - id: a
            type: data
            recipe:
              command: >-
                touch ../a.started; for i in $(seq 1 1500); do [ -e ../go ] && break;
                sleep 0.1; done; echo > {output}/v
        """);
    Files.writeString(project.resolve("universes/u.yaml"), "{}\n");
    // The recipe signals through files outside the project, which the sandbox would hide.
    List<String> args = new ArrayList<>(List.of(run(door, project)));
    args.addAll(1, List.of("--sandbox", "off"));
    JarLc.Started started = lc.start(Map.of(), false, args.toArray(String[]::new));
    String refused;
    try {
      Await.until(
          PATIENCE,
          "the recipe runs on the Dask worker",
          () -> Files.exists(dir.resolve("a.started")));
      String line =
          Files.readAllLines(started.out()).stream()
              .filter(l -> l.startsWith("Dask local cluster at "))
              .findFirst()
              .orElseThrow();
      String address = line.substring("Dask local cluster at ".length()).split("[, ]")[0];
      assertThat(address).startsWith("tls://127.0.0.1:");
      refused = plainClients(address);
    } finally {
      Files.writeString(dir.resolve("go"), "");
    }
    JarLc.Run run = started.await(PATIENCE.toSeconds());

    assertThat(refused).isEqualTo("tcp refused, tls refused");
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.outLines()).last().asString().matches("1 tasks?: 1 succeeded in .*");
  }

  /** Two Dask clients without credentials, 5 s each: "tcp refused, tls refused" when both fail. */
  private static String plainClients(String address) throws Exception {
    String script =
        """
        import sys
        from distributed import Client
        said = []
        for scheme, address in (("tcp", sys.argv[1].replace("tls://", "tcp://")), ("tls", sys.argv[1])):
            try:
                Client(address, timeout=5).close()
                said.append(scheme + " connected")
            except Exception:
                said.append(scheme + " refused")
        print(", ".join(said))
        """;
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-I", "-c", script, address)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "hung";
    }
    return out.strip();
  }
}
