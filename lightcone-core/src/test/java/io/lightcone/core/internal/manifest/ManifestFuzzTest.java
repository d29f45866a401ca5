package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;

import io.lightcone.Manifest;
import io.lightcone.core.internal.fuzz.Fuzz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest reader and the signature check against mutated manifests. */
class ManifestFuzzTest {
  private static final List<String> TOKENS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          "\"",
          "\\",
          "\\u",
          "\\ud800",
          "\\udfff",
          "\\u0000",
          "NaN",
          "Infinity",
          "-Infinity",
          "1e999",
          "-0",
          "123456789012345678901234567890",
          "null",
          "true",
          "\"signature\": {}",
          "\"schema_version\": 1",
          "\"output_id\": 7",
          "\n",
          " ",
          "\u00e9",
          "\ud83d\ude00",
          "\ufeff");

  @TempDir Path dir;

  @Test
  void mutatedManifests_readAsPresentOrInvalid_neverThrow() {
    List<byte[]> corpus =
        new ArrayList<>(Fuzz.corpus("manifest", "signed.json", "surrogates-nan.json"));
    corpus.add(
        ManifestSignature.sign(
                ManifestCodec.write(ManifestSignatureTest.M), ManifestSignatureTest.KEY)
            .getBytes(StandardCharsets.UTF_8));
    TrustedKeys trusted = TrustedKeys.parse("k", ManifestSignatureTest.KEY.publicLine(""));
    Fuzz fuzz = new Fuzz("manifest reader");
    String stderr =
        Fuzz.stderrOf(
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(120), // a hang guard only
                    () ->
                        qt().withFixedSeed(Fuzz.SEED)
                            .withExamples(Fuzz.EXAMPLES)
                            .forAll(Fuzz.mutations(corpus, TOKENS))
                            .checkAssert(
                                bytes -> {
                                  try {
                                    Files.write(dir.resolve(ManifestStore.FILE), bytes);
                                  } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                  }
                                  ManifestStore.Read r = ManifestStore.read(dir);
                                  assertThat(r)
                                      .isInstanceOfAny(
                                          ManifestStore.Present.class, ManifestStore.Invalid.class);
                                  String text = new String(bytes, StandardCharsets.UTF_8);
                                  String why = trusted.check(text).orElse("trusted");
                                  assertThat(why)
                                      .doesNotContain("Exception")
                                      .doesNotContain("java.");
                                  fuzz.tried(
                                      r instanceof ManifestStore.Invalid i
                                          ? i.reason().split(":")[0]
                                          : "present, " + why.split("\\(")[0]);
                                })));
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
    System.out.println(fuzz.totals());
    assertThat(fuzz.count()).isGreaterThan(Fuzz.EXAMPLES / 2);
  }

  @Test
  void loneSurrogates_inKeysOrValues_makeAnInvalidManifestWithTheReason() {
    // Python's json.loads accepts "\ud800"; Jackson refuses a broken surrogate pair. Lightcone
    // never writes one (ids are validated, YAML text is valid UTF-8), so a manifest holding one
    // was written by someone else: it is invalid, with Jackson's reason, never an exception.
    String text = ManifestCodec.write(ManifestSignatureTest.M);
    for (String edit :
        new String[] {"\"\\ud800\": \"x\"", "\"k\": \"\\udfff x\"", "\"\\udfff\": 1"}) {
      String damaged = text.replace("\"method\": \"ols\"", edit);
      ManifestCodec.Parsed parsed = ManifestCodec.parse(damaged);
      fuzzOutcome(damaged, parsed);
    }
  }

  private static void fuzzOutcome(String text, ManifestCodec.Parsed parsed) {
    if (parsed instanceof ManifestCodec.Invalid i) {
      assertThat(i.reason()).as(text).contains("surrogate").doesNotContain("java.");
    } else {
      // A lone surrogate that Jackson lets through in a value reads back as written.
      Manifest m = ((ManifestCodec.Valid) parsed).manifest();
      assertThat(ManifestCodec.parse(ManifestCodec.write(m))).isEqualTo(parsed);
    }
  }

  @Test
  void corpusWithNanAndSurrogateKeys_isInvalidForBoth() {
    String text =
        new String(Fuzz.corpus("manifest", "surrogates-nan.json").get(0), StandardCharsets.UTF_8);
    assertThat(ManifestCodec.parse(text))
        .isInstanceOfSatisfying(
            ManifestCodec.Invalid.class, i -> assertThat(i.reason()).contains("surrogate"));
    String keysFixed = text.replace("\\ud800", "k").replace("\\udfff", "extra");
    assertThat(ManifestCodec.parse(keysFixed))
        .isInstanceOfSatisfying(
            ManifestCodec.Invalid.class,
            i -> assertThat(i.reason()).contains("'finished_at'").contains("finite"));
    assertThat(ManifestCodec.parse(keysFixed.replace("NaN", "1.5")))
        .isInstanceOf(ManifestCodec.Valid.class);
  }
}
