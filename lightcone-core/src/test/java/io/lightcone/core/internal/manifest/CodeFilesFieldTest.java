package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The additive {@code code_files} field: written when there are code files, read back, optional.
 */
class CodeFilesFieldTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final Manifest M =
      Manifest.builder()
          .outputId("fit")
          .universeId("baseline")
          .codeVersion("sha256:" + "ab".repeat(32))
          .dataVersion("sha256:" + "cd".repeat(32))
          .recipe("python3 src/fit.py {output}")
          .lcVersion("0.4.0")
          .finishedAt(1764190000.123456)
          .host("node-1")
          .build();

  @Test
  void codeFiles_writtenSortedBetweenTheOtherKeys_andReadBack() {
    Manifest m =
        Manifest.builder().from(M).putCodeFile("src/fit.py", A).putCodeFile("lib/", A).build();

    String text = ManifestCodec.write(m);

    assertThat(text)
        .contains(
            "{\n  \"code_files\": {\n    \"lib/\": \""
                + A
                + "\",\n    \"src/fit.py\": \""
                + A
                + "\"\n  },\n  \"code_version\"");
    assertThat(ManifestCodec.parse(text)).isEqualTo(new ManifestCodec.Valid(m));
  }

  @Test
  void noCodeFiles_noField_andAManifestWithoutItReadsAsNone() {
    String text = ManifestCodec.write(M);

    assertThat(text).doesNotContain("code_files");
    assertThat(ManifestCodec.parse(text))
        .isInstanceOfSatisfying(
            ManifestCodec.Valid.class, v -> assertThat(v.manifest().codeFiles()).isEmpty());
  }

  @Test
  void codeFilesNotAnObjectOfStrings_isInvalid() {
    String text = ManifestCodec.write(M).replaceFirst("\\{", "{\"code_files\": [1],");

    assertThat(ManifestCodec.parse(text))
        .isInstanceOfSatisfying(
            ManifestCodec.Invalid.class,
            i -> assertThat(i.reason()).isEqualTo("'code_files' is not an object"));
  }
}
