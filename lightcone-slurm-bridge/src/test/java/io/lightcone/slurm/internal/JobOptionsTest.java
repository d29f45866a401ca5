package io.lightcone.slurm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.model.Resources;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
  @Test
  void resources_becomeSbatchRequests_roundedUpToWholeUnits() {
    Resources r =
        Resources.builder().cpus(1.5).memory("1.5Gi").timeLimit("90s").gpus(2).disk("10G").build();

    assertThat(
            JobOptions.of(
                Optional.of(r), Optional.empty(), Optional.empty(), Optional.empty(), List.of()))
        .containsExactly("--cpus-per-task=2", "--mem=1536M", "--time=2", "--gres=gpu:2");
  }

  @Test
  void userDefaults_followTheResources_inAFixedOrder() {
    assertThat(
            JobOptions.of(
                Optional.empty(),
                Optional.of("short"),
                Optional.of("proj42"),
                Optional.of("normal"),
                List.of("--constraint=skylake")))
        .containsExactly(
            "--partition=short", "--account=proj42", "--qos=normal", "--constraint=skylake");
  }

  @Test
  void tinyMemoryAndTime_askForAtLeastOneUnit() {
    Resources r = Resources.builder().memory("1k").timeLimit("1s").build();

    assertThat(
            JobOptions.of(
                Optional.of(r), Optional.empty(), Optional.empty(), Optional.empty(), List.of()))
        .containsExactly("--mem=1M", "--time=1");
  }

  @Test
  void squeueLines_parseIntoStates_andUnknownLinesAreIgnored() {
    var states =
        Slurm.parse("12|RUNNING|None\n13|PENDING|Dependency\n\ngarbage\n14|TIMEOUT|TimeLimit\n");

    assertThat(states).containsOnlyKeys("12", "13", "14");
    assertThat(states.get("12").running()).isTrue();
    assertThat(states.get("13").active()).isTrue();
    assertThat(states.get("13").running()).isFalse();
    assertThat(states.get("14").active()).isFalse();
    assertThat(states.get("14").reason()).isEqualTo("TimeLimit");
  }

  @Test
  void scriptArguments_areQuotedForSh_evenWithQuotesAndSpaces() {
    assertThat(JobRecords.quote("it's a dir")).isEqualTo("'it'\\''s a dir'");
    assertThat(JobRecords.quote("$HOME;rm -rf /")).isEqualTo("'$HOME;rm -rf /'");
  }
}
