package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixed vectors of every key {@link Fingerprint} writes, so that a change of bytes is caught. Each
 * expected value was computed by this Python, written from the Javadoc and not from the Java code:
 *
 * <pre>
 * import hashlib, json
 * def fp(*fields):
 *     h = hashlib.sha256()
 *     for f in fields: h.update(f.encode() + b"\0")
 *     return h.hexdigest()
 * compact = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"))
 * record = lambda files: "sha256:" + fp("lightcone-code-files-1",
 *     *[x for p in sorted(files) for x in (p, files[p])])
 * </pre>
 */
class FingerprintTest {
  private static final String CV = "sha256:" + "ab".repeat(32);
  private static final Map<String, String> INPUTS =
      Map.of("sub.real", "missing", "raw", "mtime-size:1-2");
  private static final Map<String, String> CODE =
      Map.of("src/fit.py", "sha256:" + "cd".repeat(32), "src/a b.py", "sha256:" + "ef".repeat(32));

  @Test
  void cacheAction_isTaggedWithItsFormulaAndVersion() {
    // fp("lightcone-cache-action-2", compact({"code_version": CV, "input_versions": INPUTS,
    //    "output": "fit"}))
    assertThat(Fingerprint.cacheAction("fit", CV, Map.of(), INPUTS))
        .isEqualTo("d8d279ed729ee179e9cd8f1f3f5aa79f4788279a0a6242379731993f372a1b0d");
    // record(CODE)
    assertThat(Fingerprint.codeFilesRecord(CODE))
        .isEqualTo("sha256:9b14cf0a325b1b94e76a93dde43158aae353aac93fa8575aa2ecae4aef283ebb");
    // as the first, with "code_files": that record
    assertThat(Fingerprint.cacheAction("fit", CV, CODE, INPUTS))
        .isEqualTo("3f8901569cfae836ca8b43db3ae48ae7ec48abb8c6ed6c897d45eaeb3224bee1");
  }

  @Test
  void imageMemo_namesTheProjectAndEveryEntry() {
    // "sha256:" + fp("lightcone-image-memo-1", "Demo", "containerfile", "file",
    //    "containers/Containerfile", "0", "copy", "dir", "", "2", "Containerfile", "a.txt")
    assertThat(
            Fingerprint.imageMemo(
                "Demo",
                List.of(
                    ImageTag.Entry.file(ImageTag.Role.CONTAINERFILE, "containers/Containerfile"),
                    ImageTag.Entry.directory("", List.of("Containerfile", "a.txt")))))
        .isEqualTo("sha256:235365bb5891f8f1a5972170de0cda79fcbcc13614ecd555d89822202602f312");
  }

  @Test
  void inputStamp_fieldsAreNulEnded() {
    // "sha256:" + fp("lightcone-input-stamp-1", "file", "12", "1700000000000000000",
    //    "1700000000000000001", "2049:77")
    assertThat(
            Fingerprint.of(Fingerprint.INPUT_STAMP)
                .field("file")
                .field(12)
                .field(1_700_000_000_000_000_000L)
                .field(1_700_000_000_000_000_001L)
                .field("2049:77")
                .version())
        .isEqualTo("sha256:44d6110c5404a55d5e98b5c0f7428198a8fa34dc3e680fdc1ed2b50ceba11400");
  }

  @Test
  void universeId_keepsItsBytes() {
    // "mv-" + sha256("\n".join(sorted(["estimator=mean", "scale=linear",
    //    "fit.method=ols"]))).hexdigest()[:10]
    Map<String, String> choices = new LinkedHashMap<>();
    choices.put("estimator", "mean");
    choices.put("scale", "linear");
    choices.put("fit.method", "ols");
    assertThat(Fingerprint.universeId(choices)).isEqualTo("mv-291d675e03");
  }

  @Test
  void aFieldWithNul_isRefused_soFieldsNeverRunTogether() {
    assertThatThrownBy(() -> Fingerprint.of("x").field("a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Fingerprint.of("x").field("ab").field("c").version())
        .isNotEqualTo(Fingerprint.of("x").field("a").field("bc").version());
  }
}
