package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.Manifest;
import io.lightcone.PlanOptions;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.event.ExecutionListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipes in the real bubblewrap sandbox (docs/sandbox.md). A machine without {@code bwrap} fails
 * these tests, it never skips them: CI installs it ({@code .ci/run}: {@code bubblewrap}).
 */
class SandboxTest {
  @TempDir Path dir;

  @BeforeAll
  static void bwrapIsInstalled() {
    assertThat(Path.of("/usr/bin/bwrap"))
        .as("bwrap is missing: apt-get install bubblewrap (.ci/run installs it); never skipped")
        .isExecutable();
  }

  private Project project(String outputs, String... files) {
    TestProjects.write(dir, "astra.yaml", "id: box\n" + outputs, "universes/u.yaml", "{}\n");
    TestProjects.write(dir, files);
    return Project.load(dir);
  }

  private static RunOptions mode(SandboxMode mode) {
    return RunOptions.builder().sandbox(mode).cache(false).build();
  }

  private static TaskResult only(ExecutionReport report) {
    assertThat(report.results()).hasSize(1);
    return report.results().get(0);
  }

  private TaskResult run(Project p, RunOptions options) {
    return only(p.plan(PlanOptions.defaults(), options).execute(LocalSubstrate.create()));
  }

  private static final String WRITES_ROOT =
      """
      outputs:
        - id: o
          type: data
          recipe: {command: "echo x > stray.txt && echo ok > {output}/v"}
      """;

  @Test
  void aWriteIntoTheProjectRoot_failsInTheSandbox() throws IOException {
    TaskResult r = run(project(WRITES_ROOT), RunOptions.defaults());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(dir.resolve("stray.txt")).doesNotExist();
    assertThat(dir.resolve("results/u/o")).doesNotExist();
    assertThat(Files.readString(dir.resolve(r.log().orElseThrow())))
        .contains("Read-only file system");
  }

  @Test
  void off_runsAsToday_andWarnsOfTheWriteOutsideTheOutput() {
    TaskResult r = run(project(WRITES_ROOT), mode(SandboxMode.OFF));
    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(dir.resolve("stray.txt")).exists();
    assertThat(r.warnings())
        .singleElement()
        .asString()
        .contains("changed 1 file(s) in the project outside its output: stray.txt");
  }

  @Test
  void aPrivateTmpAndHome_areWritable_andLeaveNothingBehind() {
    String marker = "lc-sandbox-" + ThreadLocalRandom.current().nextLong(1L << 40);
    Project p =
        project(
            """
            outputs:
              - id: o
                type: data
                recipe: {command: "echo t > /tmp/%s && echo h > $HOME/%s && echo ok > {output}/v"}
            """
                .formatted(marker, marker));
    TaskResult r = run(p, RunOptions.defaults());
    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Path.of("/tmp", marker)).doesNotExist();
    assertThat(Path.of(System.getProperty("user.home"), marker)).doesNotExist();
  }

  private static final String READS_UNDECLARED =
      """
      outputs:
        - id: peek
          type: data
          recipe: {command: "sh src/peek.sh {output}"}
      """;

  @Test
  void strict_hidesAnUndeclaredFile_andTheFailureNamesIt() {
    Project p =
        project(
            READS_UNDECLARED,
            "src/peek.sh",
            "cat data/notes.txt > \"$1/notes\"\n",
            "data/notes.txt",
            "secret\n");
    TaskResult strict = run(p, mode(SandboxMode.STRICT));
    assertThat(strict.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(strict.detail())
        .contains("it tried to read data/notes.txt, which it does not declare")
        .contains("as an input of peek in astra.yaml")
        .contains("lightcone.yaml (code: [\"data/notes.txt\"])");
    // The same recipe sees the whole project when the sandbox is only on.
    assertThat(run(p, mode(SandboxMode.ON)).outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void strict_showsDeclaredInputs_upstreamOutputs_andTheCodeTheCommandNames() throws IOException {
    Project p =
        project(
            """
            inputs:
              - id: notes
                type: data
                source: data/notes.txt
            outputs:
              - id: first
                type: data
                inputs: [notes]
                recipe: {command: "sh src/copy.sh {inputs.notes} {output}"}
              - id: second
                type: data
                inputs: [first]
                recipe: {command: "cat {inputs.first}/copy > {output}/again"}
            """,
            "src/copy.sh",
            "cp \"$1\" \"$2/copy\"\n",
            "data/notes.txt",
            "declared\n",
            "data/other.txt",
            "hidden\n");
    ExecutionReport r =
        p.plan(PlanOptions.defaults(), mode(SandboxMode.STRICT)).execute(LocalSubstrate.create());
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    assertThat(Files.readString(dir.resolve("results/u/second/again"))).isEqualTo("declared\n");
    assertThat(p.manifest("u/second").orElseThrow().sandbox())
        .contains(new Manifest.Sandbox("bwrap", "strict", true));
  }

  @Test
  void noNetwork_cannotReachALoopbackListener_theNetworkCan() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    server.accept().close();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Project p =
          project(
              """
              outputs:
                - id: o
                  type: data
                  recipe:
                    command: >-
                      python3 -c "import socket; socket.create_connection(('127.0.0.1', %d), 5)"
                      && echo ok > {output}/v
              """
                  .formatted(server.getLocalPort()));
      TaskResult online = run(p, RunOptions.builder().cache(false).build());
      assertThat(online.outcome()).as(online.detail()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(p.manifest("u/o").orElseThrow().sandbox())
          .contains(new Manifest.Sandbox("bwrap", "on", true));

      TaskResult forced =
          only(
              p.plan(
                      PlanOptions.builder().forceAll(true).build(),
                      RunOptions.builder().cache(false).network(false).build())
                  .execute(LocalSubstrate.create()));
      assertThat(forced.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(Files.readString(dir.resolve(forced.log().orElseThrow())))
          .containsAnyOf("Connection refused", "Network is unreachable");
    }
  }

  @Test
  void theManifest_recordsWhatWasEnforced() {
    Project p =
        project(
            """
            outputs:
              - id: o
                type: data
                recipe: {command: "echo ok > {output}/v"}
            """);
    assertThat(run(p, mode(SandboxMode.ON)).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(p.manifest("u/o").orElseThrow().sandbox())
        .contains(new Manifest.Sandbox("bwrap", "on", true));
    assertThat(
            only(p.plan(
                        PlanOptions.builder().forceAll(true).build(),
                        RunOptions.builder().from(mode(SandboxMode.OFF)).build())
                    .execute(LocalSubstrate.create()))
                .outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    assertThat(p.manifest("u/o").orElseThrow().sandbox())
        .contains(new Manifest.Sandbox("none", "off", true));
  }

  @Test
  void cancel_killsTheSandboxedRecipesWholeTree() throws Exception {
    // The recipe runs in a pid namespace of its own: the test finds its processes by a marker.
    String marker = "600." + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
    Project p =
        project(
            """
            outputs:
              - id: long
                type: data
                recipe: {command: "sleep %s & sh -c 'sleep %s' & wait"}
            """
                .formatted(marker, marker));
    Execution execution =
        p.plan(PlanOptions.defaults(), mode(SandboxMode.ON))
            .start(LocalSubstrate.create(), ExecutionListener.NONE);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (sleepers(marker).size() < 2) {
      assertThat(System.nanoTime()).as("the recipe did not start").isLessThan(deadline);
      Thread.onSpinWait();
    }
    execution.cancel();
    ExecutionReport report = execution.await();
    assertThat(only(report).outcome()).isEqualTo(Outcome.CANCELLED);
    deadline = System.nanoTime() + 10_000_000_000L;
    while (!sleepers(marker).isEmpty()) {
      assertThat(System.nanoTime()).as("still alive: %s", sleepers(marker)).isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(dir.resolve("results/u/long")).doesNotExist();
  }

  private static List<ProcessHandle> sleepers(String marker) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().orElse("").contains("sleep " + marker))
        .filter(h -> !h.info().commandLine().orElse("").contains("&"))
        .toList();
  }
}
