package io.lightcone.core.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlReaderTest {

  private static YamlReader.Result read(String text) {
    return YamlReader.read("astra.yaml", text.getBytes(StandardCharsets.UTF_8));
  }

  private static YMap root(String text) {
    YamlReader.Result r = read(text);
    assertThat(r.problems()).isEmpty();
    return (YMap) r.root().orElseThrow();
  }

  @Test
  void read_keepsLineAndColumnOfKeysAndValues() {
    YMap map = root("id: x\nrecipe:\n  command: python3 fit.py\n");
    YMap recipe = (YMap) map.get("recipe").orElseThrow();
    YMap.Entry command = recipe.entry("command").orElseThrow();
    assertThat(command.key().mark()).isEqualTo(new Mark("astra.yaml", 3, 3));
    assertThat(command.value().mark()).isEqualTo(new Mark("astra.yaml", 3, 12));
    assertThat(((YScalar) command.value()).text()).isEqualTo("python3 fit.py");
  }

  @Test
  void read_typesScalarsByYamlCoreSchema() {
    YMap map = root("a: 1\nb: 1.5\nc: true\nd:\ne: \"42\"\nf: yes\ng: null\n");
    assertThat(type(map, "a")).isEqualTo(YScalar.Type.INTEGER);
    assertThat(type(map, "b")).isEqualTo(YScalar.Type.FLOAT);
    assertThat(type(map, "c")).isEqualTo(YScalar.Type.BOOLEAN);
    assertThat(type(map, "d")).isEqualTo(YScalar.Type.NULL);
    assertThat(type(map, "e")).isEqualTo(YScalar.Type.STRING);
    // YAML 1.1 booleans, as PyYAML reads them; string fields still get the text "yes".
    assertThat(type(map, "f")).isEqualTo(YScalar.Type.BOOLEAN);
    assertThat(((YScalar) map.get("f").orElseThrow()).text()).isEqualTo("yes");
    assertThat(type(map, "g")).isEqualTo(YScalar.Type.NULL);
    assertThat(((YScalar) map.get("a").orElseThrow()).text()).isEqualTo("1");
  }

  private static YScalar.Type type(YMap map, String key) {
    return ((YScalar) map.get(key).orElseThrow()).type();
  }

  @Test
  void read_duplicateKey_reportsBothLinesAndKeepsFirst() {
    YamlReader.Result r = read("id: a\nname: one\nname: two\n");
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.mark()).isEqualTo(new Mark("astra.yaml", 3, 1));
              assertThat(p.message()).contains("duplicate key 'name'").contains("line 2");
            });
    YMap map = (YMap) r.root().orElseThrow();
    assertThat(((YScalar) map.get("name").orElseThrow()).text()).isEqualTo("one");
  }

  @Test
  void read_tabIndentation_saysToUseSpaces() {
    YamlReader.Result r = read("id: a\nrecipe:\n\tcommand: x\n");
    assertThat(r.root()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.mark().line()).isEqualTo(3);
              assertThat(p.message()).contains("tab").contains("spaces");
            });
  }

  @Test
  void read_syntaxError_hasPosition() {
    YamlReader.Result r = read("id: a\noutputs: [a, b\nname: x\n");
    assertThat(r.root()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.mark().line()).isPositive());
  }

  @Test
  void read_invalidUtf8_namesLineColumnAndByte() {
    byte[] bytes = "id: a\nname: caf\u00e9!\n".getBytes(StandardCharsets.ISO_8859_1);
    YamlReader.Result r = YamlReader.read("astra.yaml", bytes);
    assertThat(r.root()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.mark()).isEqualTo(new Mark("astra.yaml", 2, 10));
              assertThat(p.message()).contains("UTF-8").contains("0xE9");
            });
  }

  @Test
  void read_aliasesAndMergeKeys_areExpanded() {
    YMap map =
        root("base: &r\n  cpus: 2\n  memory: 1Gi\nrecipe:\n  <<: *r\n  cpus: 4\nother: *r\n");
    YMap recipe = (YMap) map.get("recipe").orElseThrow();
    assertThat(recipe.entries()).extracting(YMap.Entry::name).containsExactly("cpus", "memory");
    assertThat(((YScalar) recipe.get("cpus").orElseThrow()).text()).isEqualTo("4");
    assertThat(map.get("other").orElseThrow()).isSameAs(map.get("base").orElseThrow());
  }

  @Test
  void read_aliasBomb_isRejectedQuickly() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    YamlReader.Result r = read(y.toString());
    assertThat(r.root()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("aliases"));
  }

  @Test
  void read_deepNesting_isBounded() {
    String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    YamlReader.Result r = read(deep);
    assertThat(r.root()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("deep"));
  }

  @Test
  void read_hugeFile_isRejectedBeforeParsing() {
    byte[] big = new byte[(int) YamlReader.MAX_BYTES + 10];
    java.util.Arrays.fill(big, (byte) '#');
    YamlReader.Result r = YamlReader.read("astra.yaml", big);
    assertThat(r.root()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("MiB"));
  }

  @Test
  void read_emptyOrSecondDocument_isReported() {
    assertThat(read("").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("empty"));
    assertThat(read("a: 1\n---\nb: 2\n").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("second YAML document"));
  }

  @Test
  void read_unknownAlias_isReported() {
    List<YamlProblem> problems = read("a: *nothing\n").problems();
    assertThat(problems)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("nothing"));
  }
}
