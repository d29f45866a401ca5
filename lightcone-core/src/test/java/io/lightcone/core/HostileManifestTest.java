package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.OutputStatus;
import io.lightcone.PlannedTask;
import io.lightcone.VerifyResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests someone else wrote, or wrote badly: each is reported for its output alone. */
class HostileManifestTest {
  @TempDir Path dir;
  Project project;

  @BeforeEach
  void runOnce() {
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: demo
        outputs:
          - id: fit
            type: data
            recipe: {command: "echo fit > {output}/v"}
          - id: distance
            type: data
            inputs: [fit]
            recipe: {command: "cat {inputs.fit}/v > {output}/v"}
        """,
        "universes/baseline.yaml",
        "decisions: {}\n",
        "universes/other.yaml",
        "decisions: {}\n");
    project = Project.load(dir);
    project.plan().execute(LocalSubstrate.create()).throwIfFailed();
  }

  private Path manifest(String universe, String output) {
    return dir.resolve("results")
        .resolve(universe)
        .resolve(output)
        .resolve(".lightcone-manifest.json");
  }

  private Map<String, VerifyResult> verify() {
    return Project.load(dir).verify().results().stream()
        .collect(
            Collectors.toMap(r -> r.universeId() + "/" + r.qualifiedId(), Function.identity()));
  }

  private Map<String, OutputStatus> status() {
    return Project.load(dir).status().outputs().stream()
        .collect(
            Collectors.toMap(s -> s.universeId() + "/" + s.qualifiedId(), Function.identity()));
  }

  @Test
  void verify_manifestOfAnotherOutputOrUniverse_fails() throws IOException {
    // The data hashes to what the manifest says, but the manifest was written for another
    // output (or universe): verify said ok while status said "it belongs to output 'distance'".
    Path fit = manifest("baseline", "fit");
    Files.writeString(
        fit,
        Files.readString(fit).replace("\"output_id\": \"fit\"", "\"output_id\": \"distance\""));
    Path other = manifest("other", "fit");
    Files.writeString(
        other,
        Files.readString(other)
            .replace("\"universe_id\": \"other\"", "\"universe_id\": \"baseline\""));
    Map<String, VerifyResult> v = verify();
    assertThat(v.get("baseline/fit").failure()).contains(VerifyResult.Failure.INVALID_MANIFEST);
    assertThat(v.get("baseline/fit").detail()).contains("belongs to output 'distance'");
    assertThat(v.get("other/fit").failure()).contains(VerifyResult.Failure.INVALID_MANIFEST);
    assertThat(v.get("other/fit").detail()).contains("of universe 'baseline'");
    assertThat(v.get("baseline/distance").passed()).isTrue();
  }

  @Test
  void manifestThatIsADirectory_isOneInvalidOutput_andRunHealsIt() throws IOException {
    Path fit = manifest("baseline", "fit");
    Files.delete(fit);
    Files.createDirectories(fit.resolve("inside"));
    assertThat(status().get("baseline/fit").state()).isEqualTo(OutputStatus.State.STALE);
    assertThat(status().get("baseline/fit").reasons())
        .singleElement()
        .asString()
        .contains("directory");
    assertThat(status().get("other/fit").state()).isEqualTo(OutputStatus.State.OK);
    Map<String, VerifyResult> v = verify();
    assertThat(v.get("baseline/fit").failure()).contains(VerifyResult.Failure.INVALID_MANIFEST);
    assertThat(v.get("baseline/distance").failure()).contains(VerifyResult.Failure.BROKEN_CHAIN);
    assertThat(v.get("other/fit").passed()).isTrue();
    Map<String, PlannedTask.Action> plan =
        Project.load(dir).plan().tasks().stream()
            .collect(Collectors.toMap(t -> t.task().id().toString(), PlannedTask::action));
    assertThat(plan.get("baseline/fit")).isNotEqualTo(PlannedTask.Action.SKIP);
    assertThat(plan.get("other/fit")).isEqualTo(PlannedTask.Action.SKIP);

    Project.load(dir).plan().execute(LocalSubstrate.create()).throwIfFailed();
    assertThat(Files.isRegularFile(fit)).isTrue();
    assertThat(Project.load(dir).verify().passed()).isTrue();
  }

  @Test
  void stepAfterTheRecipeFails_saysWhichStep_inPlainWords() {
    // The recipe succeeds but leaves a directory where the manifest goes: the failure said
    // "could not run the task: java.nio.file.DirectoryNotEmptyException: ...".
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: demo
        outputs:
          - id: fit
            type: data
            recipe: {command: "mkdir -p {output}/.lightcone-manifest.json/x"}
        """);
    io.lightcone.TaskResult r =
        Project.load(dir).plan().execute(LocalSubstrate.create()).results().stream()
            .filter(t -> t.task().toString().equals("baseline/fit"))
            .findFirst()
            .orElseThrow();
    assertThat(r.outcome()).isEqualTo(io.lightcone.TaskResult.Outcome.FAILED);
    assertThat(r.detail())
        .startsWith("the recipe succeeded, but writing its manifest failed: ")
        .contains(".lightcone-manifest.json")
        .doesNotContain("java.")
        .doesNotContain("Exception")
        .doesNotContain("could not run the task");
  }

  @Test
  void hugeManifest_isOneInvalidOutput_withoutReadingIt() throws IOException {
    // Padded to 200 MB, it took every command down with OutOfMemoryError. A sparse 1 GB file
    // costs no disk; a read of it would need 1 GB of heap, more than this test JVM has spare.
    Path fit = manifest("baseline", "fit");
    try (RandomAccessFile f = new RandomAccessFile(fit.toFile(), "rw")) {
      f.setLength(1L << 30);
    }
    assertThat(status().get("baseline/fit").reasons())
        .singleElement()
        .asString()
        .contains("larger than any manifest");
    assertThat(verify().get("baseline/fit").failure())
        .contains(VerifyResult.Failure.INVALID_MANIFEST);
    assertThat(verify().get("other/fit").passed()).isTrue();
  }
}
