package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Focused cases the manifest properties found; each was a bug before its fix. */
class ManifestCodecTest {
  private static final Manifest M =
      Manifest.builder()
          .outputId("fit")
          .universeId("baseline")
          .codeVersion("sha256:" + "ab".repeat(32))
          .dataVersion("sha256:" + "cd".repeat(32))
          .recipe("python3 fit.py {output}")
          .putDecision("method", "ols")
          .putInputVersion("catalog", "missing")
          .lcVersion("0.4.0")
          .finishedAt(1764190000.123456)
          .host("node-1")
          .build();

  private static ManifestCodec.Parsed parse(String text) {
    return ManifestCodec.parse(text);
  }

  /** A manifest Python wrote (vectors/README.md) parses and is written back byte for byte. */
  @Test
  void pythonManifest_roundTripsByteForByte() throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/vectors/manifest-python.json")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ManifestCodec.Parsed parsed = parse(text);
    assertThat(parsed).isInstanceOf(ManifestCodec.Valid.class);
    assertThat(ManifestCodec.write(((ManifestCodec.Valid) parsed).manifest())).isEqualTo(text);
  }

  @Test
  void parse_schemaVersionThatIsOneOnlyInItsLow32Or64Bits_isInvalid() {
    String text = ManifestCodec.write(M);
    for (String v : new String[] {"4294967297", "-4294967295", "18446744073709551617"}) {
      assertThat(parse(text.replace("\"schema_version\": 1", "\"schema_version\": " + v)))
          .as(v)
          .isInstanceOfSatisfying(
              ManifestCodec.Invalid.class,
              i -> assertThat(i.reason()).contains("schema_version").contains(v));
    }
  }

  @Test
  void parse_somethingAfterTheObject_isInvalid() {
    // What a torn or doubled write leaves; Python's json.loads says "Extra data".
    String text = ManifestCodec.write(M);
    for (String tail : new String[] {"x", "\n}", "]", "\n" + text}) {
      assertThat(parse(text + tail))
          .as(tail)
          .isInstanceOfSatisfying(
              ManifestCodec.Invalid.class, i -> assertThat(i.reason()).isNotBlank());
    }
    assertThat(parse(text + " \n\t"))
        .as("white space is fine")
        .isEqualTo(new ManifestCodec.Valid(M));
  }

  @Test
  void parse_nonFiniteTimes_areInvalidNamingTheField() {
    // json.dumps writes NaN and Infinity; a time that is not finite dated the run to 1970 in the
    // RO-Crate export. Both fields, all three values, and a literal that overflows a double.
    String text = ManifestCodec.write(M);
    for (String value : new String[] {"NaN", "Infinity", "-Infinity", "1e400", "-1e999"}) {
      for (String key : new String[] {"finished_at", "started_at"}) {
        String damaged =
            text.replace(
                "\"schema_version\": 1",
                "\"" + key + "\": " + value + ",\n  \"schema_version\": 1");
        if (key.equals("finished_at")) {
          damaged = damaged.replaceFirst("\"finished_at\": [0-9.e+]+,\n", "");
        }
        assertThat(parse(damaged))
            .as("%s = %s", key, value)
            .isInstanceOfSatisfying(
                ManifestCodec.Invalid.class,
                i -> assertThat(i.reason()).contains("'" + key + "'").contains("finite"));
      }
    }
  }

  @Test
  void parse_wrongTypedStartedAtOrRestoredFromCache_isInvalidLikeEveryOtherField() {
    // They were dropped silently, while a wrong-typed tree_version or substrate is invalid.
    String text = ManifestCodec.write(M);
    for (String field :
        new String[] {
          "\"started_at\": \"1764190000.5\"",
          "\"started_at\": [1]",
          "\"restored_from_cache\": \"true\"",
          "\"restored_from_cache\": 1"
        }) {
      String damaged = text.replace("\"schema_version\": 1", field + ",\n  \"schema_version\": 1");
      String key = field.substring(1, field.indexOf('"', 1));
      assertThat(parse(damaged))
          .as(field)
          .isInstanceOfSatisfying(
              ManifestCodec.Invalid.class, i -> assertThat(i.reason()).contains(key));
    }
    Manifest full = Manifest.builder().from(M).startedAt(1.5).restoredFromCache(true).build();
    assertThat(parse(ManifestCodec.write(full))).isEqualTo(new ManifestCodec.Valid(full));
  }

  @Test
  void sandbox_isWrittenSorted_readBack_andAManifestWithoutItStaysValid() {
    Manifest m =
        Manifest.builder().from(M).sandbox(new Manifest.Sandbox("bwrap", "strict", false)).build();
    String text = ManifestCodec.write(m);
    assertThat(text)
        .contains(
            "\"sandbox\": {\n    \"mode\": \"strict\",\n    \"network\": false,\n    \"tool\":"
                + " \"bwrap\"\n  },");
    assertThat(parse(text)).isEqualTo(new ManifestCodec.Valid(m));
    assertThat(ManifestCodec.write(M)).doesNotContain("sandbox");
    assertThat(parse(ManifestCodec.write(M))).isEqualTo(new ManifestCodec.Valid(M));
  }

  @Test
  void sandbox_ofTheWrongShape_isInvalid_namingTheKey() {
    String text = ManifestCodec.write(M);
    for (String[] c :
        new String[][] {
          {"\"sandbox\": \"bwrap\"", "'sandbox' is not an object"},
          {"\"sandbox\": {\"mode\": \"on\", \"tool\": \"bwrap\"}", "'sandbox.network' is missing"},
          {
            "\"sandbox\": {\"mode\": \"on\", \"network\": \"no\", \"tool\": \"bwrap\"}",
            "'sandbox.network' is not a boolean"
          },
          {"\"sandbox\": {\"mode\": 1, \"network\": true, \"tool\": \"bwrap\"}", "'sandbox.mode'"},
          {"\"sandbox\": {\"mode\": \"on\", \"network\": true}", "'sandbox.tool' is missing"}
        }) {
      String damaged = text.replace("\"schema_version\": 1", c[0] + ",\n  \"schema_version\": 1");
      assertThat(parse(damaged))
          .as(c[0])
          .isInstanceOfSatisfying(
              ManifestCodec.Invalid.class, i -> assertThat(i.reason()).startsWith(c[1]));
    }
  }
}
