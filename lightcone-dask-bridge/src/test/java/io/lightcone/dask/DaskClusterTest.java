package io.lightcone.dask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.dask.internal.DaskEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, lifetime and teardown of DaskCluster, with real processes on loopback. */
class DaskClusterTest {
  @TempDir Path dir;

  /** Our Dask processes below this JVM: the keeper, its worker, sidecars. */
  private static List<Long> daskProcesses(ProcessHandle root) {
    return root.descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("lightcone-dask.py"))
        .map(ProcessHandle::pid)
        .toList();
  }

  @Test
  void forRun_nothingSet_startsALoopbackClusterThatCloseStops() {
    List<Long> processes;
    try (DaskCluster cluster = DaskCluster.forRun(TestEnvironments.local())) {
      assertThat(cluster.kind()).isEqualTo(DaskCluster.Kind.LOCAL);
      assertThat(cluster.address()).startsWith("tls://127.0.0.1:");
      assertThat(cluster.workers())
          .singleElement()
          .asString()
          .startsWith("local on 127.0.0.1 (cpus " + Runtime.getRuntime().availableProcessors())
          .contains("memory ");
      processes = daskProcesses(ProcessHandle.current());
      assertThat(processes).hasSizeGreaterThanOrEqualTo(2); // keeper + worker
    }
    assertThat(Procs.alive(processes)).isEmpty();
  }

  @Test
  void forRun_schedulerAddressSet_attachesAndNeverStopsIt() throws Exception {
    try (ExternalDask dask = ExternalDask.start(dir)) {
      DaskEnvironment env = TestEnvironments.local().with("DASK_SCHEDULER_ADDRESS", dask.address());
      try (DaskCluster cluster = DaskCluster.forRun(env)) {
        assertThat(cluster.kind()).isEqualTo(DaskCluster.Kind.ATTACHED);
        assertThat(cluster.address()).isEqualTo(dask.address());
        assertThat(daskProcesses(ProcessHandle.current())).isEmpty();
      }
      assertThat(dask.scheduler().isAlive()).isTrue();
    }
  }

  @Test
  void forRun_pythonWithoutDistributed_failsSayingWhatToInstall() throws IOException {
    // The right interpreter without its site packages: "import distributed" fails.
    Path python = dir.resolve("python3");
    Files.writeString(python, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    DaskEnvironment env = TestEnvironments.local().with("LIGHTCONE_PYTHON", python.toString());

    assertThatThrownBy(() -> DaskCluster.forRun(env))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("cannot import distributed")
        .hasMessageContaining("python3-distributed")
        .hasMessageContaining("LIGHTCONE_PYTHON")
        .extracting(e -> ((LightconeException) e).kind())
        .isEqualTo(LightconeException.Kind.ENVIRONMENT);
  }

  @Test
  void jvmKilledMidRun_leavesNoDaskProcessAndNoTaskProcess() throws Exception {
    String marker =
        String.format(Locale.ROOT, "301.%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KilledRun.class.getName(),
                dir.toString(),
                marker)
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> running =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  String line;
                  StringBuilder all = new StringBuilder();
                  while ((line = out.readLine()) != null) {
                    all.append(line).append('\n');
                    if (line.equals("running")) {
                      return "running";
                    }
                  }
                  return all.toString();
                } catch (IOException e) {
                  return e.toString();
                }
              });
      assertThat(running.get(120, TimeUnit.SECONDS)).isEqualTo("running");
      List<Long> processes = daskProcesses(jvm.toHandle());
      assertThat(processes).hasSizeGreaterThanOrEqualTo(3); // keeper, worker, sidecar
      assertThat(Procs.withArgument(marker)).isNotEmpty();

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
      jvm.waitFor(10, TimeUnit.SECONDS);

      assertThat(
              Procs.await(
                  Duration.ofSeconds(60),
                  () -> Procs.alive(processes).isEmpty() && Procs.withArgument(marker).isEmpty()))
          .as("left: %s %s", Procs.alive(processes), Procs.withArgument(marker))
          .isTrue();
    } finally {
      jvm.destroyForcibly();
    }
  }
}
