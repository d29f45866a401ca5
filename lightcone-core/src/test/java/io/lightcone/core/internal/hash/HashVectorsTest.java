package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The formulas against values computed independently in Python (vectors/README.md). */
class HashVectorsTest {
  private static final JsonNode EXPECTED = VectorTrees.resource("expected.json");

  static Stream<String> trees() {
    return StreamSupport.stream(VectorTrees.resource("trees.json").spliterator(), false)
        .map(t -> t.get("name").asText());
  }

  @ParameterizedTest
  @MethodSource("trees")
  void dataVersion_matchesPython_singleAndMultiThreaded(String name, @TempDir Path dir)
      throws IOException {
    Path root = VectorTrees.build(dir.resolve("out"), name);
    String expected = EXPECTED.get("data_versions").get(name).asText();
    assertThat(DataVersion.of(root, 1)).isEqualTo(expected);
    assertThat(DataVersion.of(root, 4)).isEqualTo(expected);
  }

  /**
   * An input given as a symbolic link to a directory (say {@code data -> /scratch/catalog}) is that
   * directory's data, as Python's {@code os.walk} lists it: links are left alone only below the
   * root. (It once hashed as an empty directory, so edits to such an input went unseen.)
   */
  @Test
  void dataVersion_followsASymlinkedRoot_likeOsWalk(@TempDir Path dir) throws IOException {
    Path real = VectorTrees.build(dir.resolve("out"), "nested");
    Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link"), real.getFileName());
    String expected = EXPECTED.get("data_versions").get("nested").asText();
    assertThat(DataVersion.of(link, 1)).isEqualTo(expected);
    assertThat(DataVersion.of(link, 4)).isEqualTo(expected);
    assertThat(InputVersion.external(link, false, 2)).isEqualTo(expected);
  }

  @Test
  void dataVersion_framingIsPrefixFree() {
    JsonNode v = EXPECTED.get("data_versions");
    assertThat(v.get("prefix_free_ab_c")).isNotEqualTo(v.get("prefix_free_a_bc"));
    // The compatible formula is prefix-free between a path and its content, but not between
    // files: content holding NUL framing can stand for several files. This pins the limitation
    // down; tree_version (paths and sizes) tells the two apart, see below.
    assertThat(v.get("two_files_xy")).isEqualTo(v.get("one_file_joined"));
    assertThat(v.get("empty").asText())
        .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void treeVersion_separatesTreesTheCompatibleFramingConfuses(@TempDir Path dir)
      throws IOException {
    DataVersion.Versions two =
        DataVersion.versions(VectorTrees.build(dir.resolve("two"), "two_files_xy"), 1);
    DataVersion.Versions one =
        DataVersion.versions(VectorTrees.build(dir.resolve("one"), "one_file_joined"), 1);
    assertThat(two.dataVersion()).isEqualTo(one.dataVersion());
    assertThat(two.treeVersion()).isNotEqualTo(one.treeVersion());
  }

  @Test
  void codeVersion_matchesPython() {
    JsonNode inputs = VectorTrees.resource("code_versions.json");
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode in = inputs.get(i);
      Map<String, String> decisions = new LinkedHashMap<>();
      in.get("decisions")
          .fields()
          .forEachRemaining(e -> decisions.put(e.getKey(), e.getValue().asText()));
      Optional<String> image =
          in.get("image").isNull() ? Optional.empty() : Optional.of(in.get("image").asText());
      JsonNode expected = EXPECTED.get("code_versions").get(i);
      String recipe = in.get("recipe").asText();
      assertThat(CodeVersion.json(recipe, image, decisions))
          .isEqualTo(expected.get("json").asText());
      assertThat(CodeVersion.of(recipe, image, decisions))
          .isEqualTo(expected.get("version").asText());
    }
  }

  /** Its byte-for-byte round trip through the codec is ManifestCodecTest's. */
  @Test
  void pythonManifest_versionsMatch(@TempDir Path dir) throws IOException {
    JsonNode manifest = VectorTrees.resource("manifest-python.json");
    Path root = VectorTrees.build(dir.resolve("out"), "nested");
    assertThat(DataVersion.of(root, 2)).isEqualTo(manifest.get("data_version").asText());
    Map<String, String> decisions = new LinkedHashMap<>();
    manifest
        .get("decisions")
        .properties()
        .forEach(e -> decisions.put(e.getKey(), e.getValue().asText()));
    Optional<String> image =
        manifest.get("container_image").isNull()
            ? Optional.empty()
            : Optional.of(manifest.get("container_image").asText());
    assertThat(CodeVersion.of(manifest.get("recipe").asText(), image, decisions))
        .isEqualTo(manifest.get("code_version").asText());
  }

  @Test
  void pyFloat_printsLikePythonRepr() {
    // Each pair was printed by Python 3.11's repr().
    Object[][] cases = {
      {1764190000.123456, "1764190000.123456"},
      {1e16, "1e+16"},
      {1e-5, "1e-05"},
      {0.0001, "0.0001"},
      {0.1, "0.1"},
      {1.0, "1.0"},
      {-0.0, "-0.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {1234567890123456.0, "1234567890123456.0"},
      {1.5e300, "1.5e+300"},
      {5e-324, "5e-324"},
      {2.0 / 3, "0.6666666666666666"},
      {1.7e9, "1700000000.0"},
      {Double.MAX_VALUE, "1.7976931348623157e+308"},
      {9007199254740993.0, "9007199254740992.0"},
      {1764190000.1234567, "1764190000.1234567"},
    };
    for (Object[] c : cases) {
      assertThat(PyFloat.repr((Double) c[0])).as("repr(%s)", c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void pyJson_escapesAndSortsLikePython() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1.0);
    m.put("a", java.util.List.of(1764190000.123456, 1e16));
    m.put("c", "\u00e9\ud83d\ude00\n\"/\u0007\u007f");
    m.put("d", null);
    m.put("e", true);
    m.put("f", Map.of());
    m.put("g", java.util.List.of());
    m.put("\ufb01", 1);
    m.put("\ud83d\ude00", 2);
    assertThat(PyJson.indented(m))
        .isEqualTo(
            """
            {
              "a": [
                1764190000.123456,
                1e+16
              ],
              "b": 1.0,
              "c": "\\u00e9\\ud83d\\ude00\\n\\"/\\u0007\\u007f",
              "d": null,
              "e": true,
              "f": {},
              "g": [],
              "\\ufb01": 1,
              "\\ud83d\\ude00": 2
            }""");
  }
}
