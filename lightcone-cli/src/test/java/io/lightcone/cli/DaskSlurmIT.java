package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code salloc -N2 lc run --substrate dask} on a real SLURM cluster: {@code .ci/run} starts two
 * nodes on this machine ({@code SLURM_CI_NODES=2 .ci/slurm-single-node.sh}). Without SLURM this
 * test fails, saying how to start it.
 */
class DaskSlurmIT {
  private static final Duration PATIENCE = Duration.ofSeconds(240);

  @TempDir Path dir;

  @Test
  void insideSalloc_workersComeUpThroughSrun_tasksRunOnBothNodes_andNothingIsLeft()
      throws Exception {
    requireTwoIdleNodes();
    Path project = dir.resolve("nodes");
    Files.createDirectories(project.resolve("universes"));
    StringBuilder astra = new StringBuilder("id: nodes\noutputs:\n");
    for (int i = 0; i < 4; i++) {
      // A whole node's cpu each: at most one task per node at a time, so both nodes get work.
      astra.append(
          """
            - id: t%d
              type: data
              recipe:
                command: "sleep 1; echo $SLURMD_NODENAME $LIGHTCONE_DASK_WORKER > {output}/node"
                resources: {cpus: 1}
          """
              .formatted(i));
    }
    Files.writeString(project.resolve("astra.yaml"), astra.toString());
    Files.writeString(project.resolve("universes/u.yaml"), "{}\n");
    List<String> before = DaskProcesses.matching(DaskProcesses.DASK);

    List<String> command = new ArrayList<>(List.of("salloc", "-N2", "--time=10"));
    command.addAll(JarLc.javaJar());
    command.addAll(List.of("run", "--substrate", "dask", "-C", project.toString()));
    Path out = dir.resolve("salloc.out");
    Process salloc =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(salloc.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("salloc -N2 lc run did not end: %s", read(out))
        .isTrue();

    String printed = read(out);
    assertThat(salloc.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("Dask slurm cluster at tls://")
        .doesNotContain("tls://127.0.0.1")
        .contains("4 tasks: 4 succeeded");
    TreeSet<String> nodes = new TreeSet<>();
    for (int i = 0; i < 4; i++) {
      String[] where = read(project.resolve("results/u/t" + i + "/node")).strip().split(" ");
      assertThat(where).as("t%d: $SLURMD_NODENAME $LIGHTCONE_DASK_WORKER", i).hasSize(2);
      assertThat(where[0]).isEqualTo(where[1]);
      nodes.add(where[0]);
    }
    assertThat(nodes).as("the nodes the tasks ran on").containsExactly("node1", "node2");
    assertThat(read(project.resolve("results/u/t0/.lightcone-manifest.json")))
        .containsPattern("\"slurm_job_id\": \"\\d+\"");
    Await.until(
        Duration.ofSeconds(30),
        "no worker, srun or scheduler is left: " + DaskProcesses.newSince(before, project),
        () -> DaskProcesses.newSince(before, project).isEmpty());
  }

  /** Fails, saying what to do, unless {@code sinfo} shows two idle nodes. */
  private static void requireTwoIdleNodes() throws InterruptedException {
    String how =
        "; start it as root with SLURM_CI_NODES=2 bash .ci/slurm-single-node.sh"
            + " (.ci/run does)";
    String idle;
    try {
      Process sinfo = new ProcessBuilder("sinfo", "-h", "-N", "-t", "idle", "-o", "%N").start();
      idle = new String(sinfo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!sinfo.waitFor(30, TimeUnit.SECONDS) || sinfo.exitValue() != 0) {
        fail("sinfo failed, SLURM is not running" + how);
      }
    } catch (IOException e) {
      throw new AssertionError("SLURM is not installed (no sinfo)" + how, e);
    }
    assertThat(idle.lines().distinct().count())
        .as("idle SLURM nodes (sinfo: %s)%s", idle.strip(), how)
        .isGreaterThanOrEqualTo(2);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
