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
}
