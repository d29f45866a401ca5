package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskProtocolTest {
  @TempDir Path dir;

  @Test
  void everyOutcome_roundTrips_withEveryField() {
    for (Outcome o : Outcome.values()) {
      TaskResult r =
          new TaskResult(
              TaskId.parse("baseline/calibration.zero_point"),
              o,
              o == Outcome.FAILED ? OptionalInt.of(3) : OptionalInt.empty(),
              "exit code 3: \"quoted\"\nand a second line, ünïcode",
              o == Outcome.FAILED
                  ? Optional.of(".lightcone/logs/baseline/x.log")
                  : Optional.empty(),
              Duration.ofMillis(1250),
              2,
              List.of("no files", "empty json"));

      String line = TaskProtocol.encode(r);

      assertThat(line).doesNotContain("\n").startsWith("{\"protocol\":1,");
      assertThat(TaskProtocol.decode(line)).isEqualTo(r);
    }
  }

  @Test
  void write_thenRead_givesTheResult_andLeavesNoTempFile() throws Exception {
    TaskResult r = TaskResult.of(TaskId.parse("u/out"), Outcome.SUCCEEDED, "");
    Path file = dir.resolve("1-1.result.json");

    TaskProtocol.write(r, file);

    assertThat(TaskProtocol.read(file)).contains(r);
    try (var s = Files.list(dir)) {
      assertThat(s.toList()).containsExactly(file);
    }
    assertThat(TaskProtocol.read(dir.resolve("missing.json"))).isEmpty();
  }

  @Test
  void anotherVersion_orNotAResult_isRefusedWithAMessage() {
    assertThatThrownBy(() -> TaskProtocol.decode("{\"protocol\":2,\"task\":\"u/o\"}"))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("protocol 2")
        .hasMessageContaining("same Lightcone version");
    assertThatThrownBy(() -> TaskProtocol.decode("ok u/o 0.1s"))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(
            () -> TaskProtocol.decode("{\"protocol\":1,\"task\":\"u/o\",\"outcome\":\"great\"}"))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("outcome");
  }

  @Test
  void requests_roundTrip() {
    TaskProtocol.Request run =
        TaskProtocol.Request.run("k-1", TaskId.parse("u/calibration.zero_point"), "sha256:ab");
    TaskProtocol.Request cancel = TaskProtocol.Request.cancel("k-1");

    assertThat(TaskProtocol.decodeRequest(TaskProtocol.encode(run))).isEqualTo(run);
    assertThat(TaskProtocol.decodeRequest(TaskProtocol.encode(cancel))).isEqualTo(cancel);
    assertThat(TaskProtocol.encode(run)).doesNotContain("\n").startsWith("{\"protocol\":1,");
  }

  @Test
  void request_ofAnotherVersion_isRefusedNamingBothVersions() {
    assertThatThrownBy(
            () ->
                TaskProtocol.decodeRequest(
                    "{\"protocol\":2,\"op\":\"run\",\"id\":\"k\",\"task\":\"u/o\","
                        + "\"code_version\":\"sha256:ab\"}"))
        .isInstanceOf(LightconeException.class)
        .hasMessage(
            "a task request has protocol 2, this lc speaks 1; run the same Lightcone version on"
                + " every node");
  }

  @Test
  void hostileOrTruncatedRequests_areRefusedWithOneLine_neverAStackTrace() {
    String good =
        TaskProtocol.encode(TaskProtocol.Request.run("k", TaskId.parse("u/o"), "sha256:ab"));
    List<String> lines =
        List.of(
            good.substring(0, good.length() - 5), // truncated
            good + "{}", // two objects on one line
            "",
            "[1,2]",
            "null",
            "{\"protocol\":\"1\",\"op\":\"run\"}",
            "{\"protocol\":1,\"op\":\"run\",\"task\":\"u/o\",\"code_version\":\"x\"}",
            "{\"protocol\":1,\"op\":\"run\",\"id\":7,\"task\":\"u/o\",\"code_version\":\"x\"}",
            "{\"protocol\":1,\"op\":\"run\",\"id\":\"k\",\"task\":\"../../etc\",\"code_version\":\"x\"}",
            "{\"protocol\":1,\"op\":\"run\",\"id\":\"k\",\"task\":\"u/o\"}",
            "{\"protocol\":1,\"op\":\"rm -rf\",\"id\":\"k\"}",
            "{\"protocol\":1,\"op\":\"cancel\",\"id\":\"" + "k".repeat(600) + "\"}",
            "{\"protocol\":1,\"op\":\"run\",\"id\":\"" + "x".repeat(70_000) + "\"}");

    for (String line : lines) {
      assertThatThrownBy(() -> TaskProtocol.decodeRequest(line))
          .as(line.length() > 80 ? line.substring(0, 80) : line)
          .isInstanceOf(LightconeException.class)
          .hasMessageStartingWith("a task request ")
          .hasMessageNotContaining("\n")
          .extracting(e -> ((LightconeException) e).kind())
          .isEqualTo(LightconeException.Kind.USER_INPUT);
    }
  }

  @Test
  void answer_isTheResultWithTheRequestsId_andDecodesAsTheResult() {
    TaskResult r =
        new TaskResult(
            TaskId.parse("u/o"),
            Outcome.FAILED,
            OptionalInt.of(3),
            "exit code 3",
            Optional.of(".lightcone/logs/u/o.log"),
            Duration.ofMillis(20),
            1,
            List.of("w"));

    String line = TaskProtocol.answer("k-9", r);

    assertThat(line).contains("\"id\":\"k-9\"").doesNotContain("\n");
    assertThat(TaskProtocol.decode(line)).isEqualTo(r);
    assertThat(TaskProtocol.error(Optional.of("k"), "bad"))
        .isEqualTo("{\"protocol\":1,\"id\":\"k\",\"error\":\"bad\"}");
  }

  @Test
  void served_splitsAPlumbingCommand_intoTheRunnersCommandAndTheTasksRequest() {
    List<String> run =
        List.of(
            "/usr/bin/java",
            "-Xshare:auto",
            "-cp",
            "/opt/lc.jar",
            "io.example.Main",
            "task",
            "run",
            "--project",
            "/p",
            "u/o",
            "--expect-code-version",
            "sha256:ab",
            "--substrate",
            "dask",
            "--no-cache");

    TaskProtocol.Served s = TaskProtocol.served(run).orElseThrow();

    assertThat(s.serveCommand())
        .containsExactly(
            "/usr/bin/java",
            "-Xshare:auto",
            "-cp",
            "/opt/lc.jar",
            "io.example.Main",
            "task",
            "serve",
            "--project",
            "/p",
            "--substrate",
            "dask",
            "--no-cache");
    assertThat(TaskProtocol.decodeRequest(s.request().replace("{", "{\"id\":\"k\",")))
        .isEqualTo(TaskProtocol.Request.run("k", TaskId.parse("u/o"), "sha256:ab"));
    assertThat(TaskProtocol.served(List.of("/bin/sh", "-c", "echo task run --project"))).isEmpty();
  }
}
