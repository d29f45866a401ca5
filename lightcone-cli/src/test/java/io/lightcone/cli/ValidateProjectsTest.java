package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code lc validate} on real projects, through the real loader. */
class ValidateProjectsTest {
  @TempDir Path dir;

  @Test
  void validate_validProject_exits0() {
    TestProjects.validProject(dir);

    Lc.Result result = Lc.run("validate", dir.toString());

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.outLines()).last().asString().startsWith("valid (0 errors, ");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void validate_invalidProject_namesFileLineAndColumn_exits3() {
    TestProjects.invalidProject(dir);

    Lc.Result result = Lc.run("validate", dir.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.outLines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(Pattern.quote(dir + "/astra.yaml:4:11: error: ") + ".*'chart'.*"));
    assertThat(result.outLines()).last().asString().matches("\\d+ errors?, \\d+ warnings?");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void validate_invalidProjectJson_reportsPositionAndKey() throws IOException {
    TestProjects.invalidProject(dir);

    Lc.Result result = Lc.run("validate", "--json", dir.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("errors").asInt()).isPositive();
    assertThat(json.get("problems"))
        .anySatisfy(
            p -> {
              assertThat(p.get("severity").asText()).isEqualTo("error");
              assertThat(p.get("file").asText()).isEqualTo("astra.yaml");
              assertThat(p.get("line").asInt()).isEqualTo(4);
              assertThat(p.get("column").asInt()).isEqualTo(11);
              assertThat(p.get("key").asText()).isEqualTo("outputs[0].type");
              assertThat(p.get("message").asText()).contains("'chart'");
            });
  }

  @Test
  void validate_emptyDirectory_isInvalid_exits3() {
    Lc.Result result = Lc.run("validate", dir.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.out()).contains("astra.yaml");
  }

  @ParameterizedTest
  @ValueSource(strings = {"iris", "iris_pipeline"})
  void validate_conformanceExample_exits0(String example) {
    Path project = TestProjects.conformance().resolve("examples").resolve(example);

    Lc.Result result = Lc.run("validate", project.toString());

    assertThat(result.exitCode()).as(result.out()).isZero();
  }

  static Stream<Path> invalidConformanceData() throws IOException {
    try (Stream<Path> files = Files.list(TestProjects.conformance().resolve("data/invalid"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("invalidConformanceData")
  void validate_invalidConformanceData_namesFileAndLine_exits3(Path invalid) throws IOException {
    Files.copy(invalid, dir.resolve("astra.yaml"));

    Lc.Result result = Lc.run("validate", dir.toString());

    assertThat(result.exitCode()).as(result.out()).isEqualTo(3);
    assertThat(result.outLines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(Pattern.quote(dir + "/astra.yaml:") + "\\d+(:\\d+)?: error: .+"));
  }

  @Test
  void validate_periodLuminositySample_isValid() {
    Lc.Result result = Lc.run("validate", TestProjects.sample("period-luminosity").toString());

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.outLines()).noneMatch(line -> line.contains(": error: "));
  }
}
