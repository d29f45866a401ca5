package io.lightcone.core.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reason status, plan and explain give when code files differ from the manifest's. */
class CodeFileChangesTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final java.util.function.Predicate<String> ALL_THERE = f -> true;

  @Test
  void same_noReason() {
    assertThat(Freshness.codeFileChanges(Map.of(), Map.of(), ALL_THERE)).isEmpty();
    assertThat(Freshness.codeFileChanges(Map.of("src/x.py", A), Map.of("src/x.py", A), ALL_THERE))
        .isEmpty();
  }

  @Test
  void changedAddedRemoved_oneReasonNamingEach() {
    assertThat(
            Freshness.codeFileChanges(
                Map.of("src/estimate.py", A, "old.R", A, "lib/", A),
                Map.of("src/estimate.py", B, "new.R", A, "lib/", A),
                ALL_THERE))
        .containsExactly("code changed: new.R (added), old.R (removed), src/estimate.py");
    assertThat(
            Freshness.codeFileChanges(
                Map.of("src/x.py", A), Map.of("src/x.py", "missing"), ALL_THERE))
        .containsExactly("code changed: src/x.py (removed)");
  }

  @Test
  void recordedFileNotInTheProjectAtAll_isNotJudged() {
    // An archive unpacked without its code: the data is what it was; the code is not here.
    assertThat(
            Freshness.codeFileChanges(
                Map.of("src/x.py", A, "src/y.py", A), Map.of("src/y.py", A), f -> false))
        .isEmpty();
    assertThat(
            Freshness.codeFileChanges(
                Map.of("src/x.py", A), Map.of("src/x.py", "missing"), f -> false))
        .isEmpty();
  }

  @Test
  void manifestWithoutCodeFiles_forATaskWithSome_saysNotRecorded() {
    assertThat(Freshness.codeFileChanges(Map.of(), Map.of("src/estimate.py", A), ALL_THERE))
        .containsExactly("code changed: code files not recorded");
  }

  @Test
  void manyFiles_namesFive_countsTheRest() {
    Map<String, String> then = new LinkedHashMap<>();
    Map<String, String> now = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      then.put("f" + i, A);
      now.put("f" + i, B);
    }
    assertThat(Freshness.codeFileChanges(then, now, ALL_THERE))
        .containsExactly("code changed: f0, f1, f2, f3, f4 and 3 more files");
  }
}
