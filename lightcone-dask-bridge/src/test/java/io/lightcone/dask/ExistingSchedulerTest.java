package io.lightcone.dask;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An existing scheduler ({@code dask scheduler --scheduler-file}) with two workers advertising
 * different resources: {@code cpu} (cpus=2) and {@code gpu} (cpus=2, gpus=1), two threads each, so
 * only the resources keep tasks apart.
 */
class ExistingSchedulerTest {
  @TempDir static Path daskDir;
  static ExternalDask dask;
  static DaskCluster cluster;

  @TempDir Path project;

  @BeforeAll
  static void start() throws Exception {
    dask =
        ExternalDask.start(daskDir)
            .worker("cpu", 2, "cpus=2")
            .worker("gpu", 2, "cpus=2,gpus=1")
            .awaitWorkers(2);
    cluster =
        DaskCluster.forRun(TestEnvironments.local().with("DASK_SCHEDULER_ADDRESS", dask.address()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (dask != null) {
      dask.close();
    }
  }

  /** A recipe that records the worker it ran on, and when it started and ended (ns). */
  private static String recording(String id, double seconds) {
    return "mkdir -p out && s=$(date +%s%N) && sleep "
        + seconds
        + " && echo \"$LIGHTCONE_DASK_WORKER $s $(date +%s%N)\" > out/"
        + id
        + ".txt";
  }

  private String[] record(String id) throws IOException {
    return Files.readString(project.resolve("out/" + id + ".txt")).strip().split(" ");
  }

  @Test
  void dask_gpuTask_landsOnGpuWorker() throws IOException {
    FakePlans plan = FakePlans.in(project);
    Resources gpu = Resources.builder().gpus(1).build();
    for (int i = 0; i < 3; i++) {
      plan.task("u/gpu" + i, gpu, recording("gpu" + i, 0.1));
      plan.task("u/any" + i, recording("any" + i, 0.1));
    }

    ExecutionReport report = plan.plan().execute(DaskSubstrate.on(cluster));

    assertThat(report.results()).extracting(TaskResult::outcome).containsOnly(Outcome.SUCCEEDED);
    for (int i = 0; i < 3; i++) {
      assertThat(record("gpu" + i)[0]).as("gpu%d ran on", i).isEqualTo("gpu");
    }
  }

  @Test
  void dask_twoCpuTasks_neverShareATwoCpuWorker() throws IOException {
    FakePlans plan = FakePlans.in(project);
    Resources two = Resources.builder().cpus(2).build();
    for (int i = 0; i < 4; i++) {
      plan.task("u/t" + i, two, recording("t" + i, 0.5));
    }

    ExecutionReport report = plan.plan().execute(DaskSubstrate.on(cluster));

    assertThat(report.results()).extracting(TaskResult::outcome).containsOnly(Outcome.SUCCEEDED);
    Map<String, List<long[]>> byWorker = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      String[] r = record("t" + i);
      byWorker
          .computeIfAbsent(r[0], w -> new ArrayList<>())
          .add(new long[] {Long.parseLong(r[1]), Long.parseLong(r[2])});
    }
    assertThat(byWorker.keySet()).containsExactlyInAnyOrder("cpu", "gpu");
    for (Map.Entry<String, List<long[]>> e : byWorker.entrySet()) {
      List<long[]> spans = new ArrayList<>(e.getValue());
      spans.sort((a, b) -> Long.compare(a[0], b[0]));
      for (int i = 1; i < spans.size(); i++) {
        assertThat(spans.get(i)[0])
            .as("a task started on %s before the previous one ended", e.getKey())
            .isGreaterThanOrEqualTo(spans.get(i - 1)[1]);
      }
    }
  }
}
