package io.lightcone.core.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.Explanation;
import io.lightcone.OutputStatus;
import io.lightcone.PlannedTask;
import io.lightcone.VerifyResult;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import io.lightcone.core.internal.hash.DataVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memo through {@link Project}: status, plan, explain and run trust what it says about an
 * external input; verify never asks it. Entries are forged with the input's true stamp (the memo
 * itself stores none for files a test wrote seconds ago: they are racily clean).
 */
class InputMemoProjectTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIE = "sha256:" + "0".repeat(64);

  @TempDir Path dir;

  private void write(String rel, String content) throws IOException {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private Project project() throws IOException {
    write(
        "astra.yaml",
        """
        id: memo
        inputs:
          - id: raw
            type: data
            source: data/raw
        outputs:
          - id: copy
            type: data
            inputs: [raw]
            recipe:
              command: "cp -R {inputs.raw}/. {output}/"
        """);
    write("universes/u.yaml", "decisions: {}\n");
    write("data/raw/a.csv", "1,2\n");
    write("data/raw/sub/b.csv", "3,4\n");
    return Project.load(dir);
  }

  /** Puts {@code path}'s current stamp with {@code version} in the project's memo. */
  private void forge(Path path, String version) throws IOException {
    Path file = dir.resolve(InputMemo.FILE);
    Map<String, Object> entries = new LinkedHashMap<>();
    InputMemo.read(file)
        .forEach(
            (k, e) ->
                entries.put(
                    k, Map.of("stamp", e.stamp(), "version", e.version(), "used", e.used())));
    entries.put(
        InputMemo.key(path, true),
        Map.of(
            "stamp",
            InputMemo.stamp(path, true).digest(),
            "version",
            version,
            "used",
            System.currentTimeMillis()));
    Files.createDirectories(file.getParent());
    JSON.writeValue(file.toFile(), Map.of("schema", 1, "entries", entries));
  }

  private OutputStatus status(Project p) {
    return p.status().outputs().stream().filter(o -> o.outputId().equals("copy")).findFirst().get();
  }

  @Test
  void statusPlanExplainAndRun_trustTheMemo_verifyNeverDoes() throws IOException {
    Project p = project();
    Path raw = dir.resolve("data/raw");
    String truth = DataVersion.of(raw, 1);
    p.plan().execute(LocalSubstrate.create()).throwIfFailed();
    assertThat(p.manifest("u/copy").get().inputVersions()).containsEntry("raw", truth);
    assertThat(status(p).state()).isEqualTo(OutputStatus.State.OK);
    // The run hashed files written a moment ago: racily clean, so it remembered nothing.
    assertThat(InputMemo.read(dir.resolve(InputMemo.FILE))).isEmpty();

    // A memo that lies with the right stamp is believed by status, plan and explain ...
    forge(raw, LIE);
    assertThat(status(p).state()).isEqualTo(OutputStatus.State.STALE);
    assertThat(status(p).reasons()).containsExactly("input changed: raw");
    PlannedTask planned = p.plan().tasks().get(0);
    assertThat(planned.action()).isEqualTo(PlannedTask.Action.RUN);
    assertThat(planned.reasons()).containsExactly("input changed: raw");
    Explanation why = p.explain("copy", "u");
    assertThat(why.inputs()).contains(new Explanation.Row("raw", truth, LIE));

    // ... but verify neither reads nor writes it: it re-hashes the data itself.
    byte[] memo = Files.readAllBytes(dir.resolve(InputMemo.FILE));
    assertThat(p.verify().failures()).isZero();
    Path out = dir.resolve("results/u/copy");
    Path a = out.resolve("a.csv");
    FileTime mtime = Files.getLastModifiedTime(a);
    Files.writeString(a, "9,9\n"); // same size, old mtime put back
    Files.setLastModifiedTime(a, mtime);
    // Even an entry claiming the tampered output still hashes to its manifest's version.
    forge(out, p.manifest("u/copy").get().dataVersion());
    memo = Files.readAllBytes(dir.resolve(InputMemo.FILE));
    List<VerifyResult> verified = p.verify().results();
    assertThat(verified)
        .singleElement()
        .satisfies(r -> assertThat(r.failure()).contains(VerifyResult.Failure.TAMPERED_DATA));
    assertThat(Files.readAllBytes(dir.resolve(InputMemo.FILE))).isEqualTo(memo);

    // Run records what the memo says (trust by stat, as for a file's mtime and size) ...
    p.plan().execute(LocalSubstrate.create()).throwIfFailed();
    assertThat(p.manifest("u/copy").get().inputVersions()).containsEntry("raw", LIE);
    assertThat(status(p).state()).isEqualTo(OutputStatus.State.OK);
    // ... and deleting the memo, a cache, costs one re-hash and brings the truth back.
    Files.delete(dir.resolve(InputMemo.FILE));
    assertThat(status(p).reasons()).containsExactly("input changed: raw");
    p.plan().execute(LocalSubstrate.create()).throwIfFailed();
    assertThat(p.manifest("u/copy").get().inputVersions()).containsEntry("raw", truth);
    assertThat(p.verify().failures()).isZero();
  }
}
