package io.lightcone.snakemake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real rule client, plumbing_client.sh sourced by bash, against a real plumbing server. */
class PlumbingClientTest {
  @TempDir Path dir;
  private Path client;

  @BeforeEach
  void writeClient() throws IOException {
    client = dir.resolve("plumbing_client.sh");
    try (InputStream in = Workflow.class.getResourceAsStream("plumbing_client.sh")) {
      Files.write(client, in.readAllBytes());
    }
  }

  private Process start(Map<String, String> env, String... plumbing) throws IOException {
    // As a rule runs it: sourced into the bash Snakemake starts, after Snakemake's own prefix.
    List<String> argv =
        new java.util.ArrayList<>(
            List.of(
                "bash",
                "-c",
                "set -euo pipefail; . \"$0\" \"$@\"",
                client.toString(),
                "u/o",
                "sha256:ab",
                "--"));
    argv.addAll(List.of(plumbing));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().remove(SnakemakeRun.ADDRESS_VARIABLE);
    pb.environment().remove(SnakemakeRun.TOKEN_VARIABLE);
    pb.environment().putAll(env);
    return pb.start();
  }

  private static Map<String, String> env(PlumbingServer server, String token) throws IOException {
    return Map.of(
        SnakemakeRun.ADDRESS_VARIABLE, server.address(), SnakemakeRun.TOKEN_VARIABLE, token);
  }

  private static String output(Process p) throws Exception {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void withTheServer_theTaskRunsThere_andItsExitCodeAndOutcomeComeBack() throws Exception {
    AtomicReference<String> asked = new AtomicReference<>();
    try (PlumbingServer server =
        PlumbingServer.start(
            (task, cv, gone) -> {
              asked.set(task + " " + cv);
              return "1 failed";
            })) {
      Process p = start(env(server, server.token()), "sh", "-c", "echo plumbing ran; exit 0");
      assertThat(output(p)).isEqualTo("failed\n");
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(asked).hasValue("u/o sha256:ab");
    }
  }

  @Test
  void withAWrongToken_theServerRunsNothing() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    try (PlumbingServer server =
        PlumbingServer.start(
            (task, cv, gone) -> {
              ran.set(true);
              return "0 succeeded";
            })) {
      Process p = start(env(server, "guessed"), "true");
      output(p);
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(ran).isFalse();
    }
  }

  @Test
  void withoutAServer_theClientRunsThePlumbingCommandItself() throws Exception {
    Process byHand = start(Map.of(), "sh", "-c", "echo plumbing ran; exit 7");
    assertThat(output(byHand)).isEqualTo("plumbing ran\n");
    assertThat(byHand.exitValue()).isEqualTo(7);

    // The server named is gone (a port nobody listens on): the same.
    PlumbingServer gone = PlumbingServer.start((task, cv, g) -> "0 succeeded");
    Map<String, String> stale = env(gone, gone.token());
    gone.close();
    Process after = start(stale, "sh", "-c", "echo plumbing ran; exit 0");
    assertThat(output(after)).isEqualTo("plumbing ran\n");
    assertThat(after.exitValue()).isZero();
  }

  @Test
  void killingTheClient_cancelsItsTask() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    try (PlumbingServer server =
        PlumbingServer.start(
            (task, cv, gone) -> {
              gone.onCancel(cancelled::countDown);
              running.countDown();
              try {
                cancelled.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "1 cancelled";
            })) {
      Process p = start(env(server, server.token()), "true");
      assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
      p.destroyForcibly(); // as snakemake kills a job's shell
      assertThat(cancelled.await(60, TimeUnit.SECONDS)).isTrue();
    }
  }
}
