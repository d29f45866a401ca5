package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.Problem;
import io.lightcone.Problem.Severity;
import io.lightcone.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendering and exit codes of {@code lc validate}, with a fake standing in for the loader. */
class ValidateCommandTest {
  private static final Problem UNKNOWN_TYPE =
      new Problem(
          Severity.ERROR,
          "astra.yaml",
          12,
          11,
          "outputs[2].type",
          "output type 'chart' is not one of metric, figure, table, data, report");
  private static final Problem NO_LINE =
      new Problem(Severity.ERROR, "universes/robust.yaml", 0, 0, "", "cannot parse the file");
  private static final Problem LINE_ONLY =
      new Problem(Severity.WARNING, "astra.yaml", 7, 0, "decisions.seed", "decision is unused");
  private static final Problem NO_FILE =
      new Problem(Severity.WARNING, "", 0, 0, "", "the project declares no universe");

  @TempDir Path dir;
  private final List<Path> validated = new ArrayList<>();

  private Function<Path, ValidationReport> reporting(Problem... problems) {
    return path -> {
      validated.add(path);
      return ValidationReport.of(List.of(problems));
    };
  }

  @Test
  void validate_invalidProject_printsDirFileLineCol_exits3() {
    String project = dir.toString();

    Lc.Result result = Lc.runWith(reporting(UNKNOWN_TYPE, LINE_ONLY), "validate", project);

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.outLines())
        .containsExactly(
            project + "/astra.yaml:7: warning: decision is unused",
            project
                + "/astra.yaml:12:11: error: output type 'chart' is not one of metric, figure,"
                + " table, data, report",
            "1 error, 1 warning");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void validate_unknownLineAndColumn_areLeftOut() {
    Lc.Result result = Lc.runWith(reporting(NO_LINE, NO_FILE), "validate", dir.toString());

    assertThat(result.outLines())
        .containsExactly(
            dir + ": warning: the project declares no universe",
            dir + "/universes/robust.yaml: error: cannot parse the file",
            "1 error, 1 warning");
  }

  @Test
  void validate_withoutDir_validatesCurrentDirectory_andPrintsBareFileNames() {
    Lc.Result result = Lc.runWith(reporting(UNKNOWN_TYPE), "validate");

    assertThat(validated).containsExactly(Path.of("."));
    assertThat(result.outLines().get(0)).startsWith("astra.yaml:12:11: error: ");
  }

  @Test
  void validate_dirWithTrailingSlash_hasNoDoubleSlash() {
    Lc.Result result = Lc.runWith(reporting(UNKNOWN_TYPE), "validate", dir + "/");

    assertThat(result.outLines().get(0)).startsWith(dir + "/astra.yaml:12:11: error: ");
  }

  @Test
  void validate_warningsOnly_isValid_exits0() {
    Lc.Result result = Lc.runWith(reporting(LINE_ONLY), "validate", dir.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).last().isEqualTo("valid (0 errors, 1 warning)");
  }

  @Test
  void validate_noProblems_exits0() {
    Lc.Result result = Lc.runWith(reporting(), "validate", dir.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("valid (0 errors, 0 warnings)\n");
  }

  @Test
  void validate_json_hasDocumentedShape() throws Exception {
    Lc.Result result =
        Lc.runWith(reporting(UNKNOWN_TYPE, NO_FILE), "validate", "--json", dir.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.properties())
        .extracting(e -> e.getKey())
        .containsExactly("valid", "errors", "warnings", "problems");
    assertThat(json.get("valid").isBoolean()).isTrue();
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("errors").asInt()).isEqualTo(1);
    assertThat(json.get("warnings").asInt()).isEqualTo(1);
    JsonNode error = json.get("problems").get(1);
    assertThat(error.properties())
        .extracting(e -> e.getKey())
        .containsExactly("severity", "file", "line", "column", "key", "message");
    assertThat(error.get("severity").asText()).isEqualTo("error");
    assertThat(error.get("file").asText()).isEqualTo("astra.yaml");
    assertThat(error.get("line").asInt()).isEqualTo(12);
    assertThat(error.get("column").asInt()).isEqualTo(11);
    assertThat(error.get("key").asText()).isEqualTo("outputs[2].type");
    assertThat(error.get("message").asText()).startsWith("output type 'chart'");
    assertThat(json.get("problems").get(0).get("file").asText()).isEmpty();
  }

  @Test
  void validate_jsonValid_exits0_andEndsWithNewline() throws Exception {
    Lc.Result result = Lc.runWith(reporting(), "validate", dir.toString(), "--json");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).endsWith("}\n").contains("\"problems\": []");
    assertThat(new ObjectMapper().readTree(result.out()).get("valid").asBoolean()).isTrue();
  }

  @Test
  void validate_missingDir_isUsageError_exits2() {
    Lc.Result result = Lc.runWith(reporting(), "validate", dir.resolve("nope").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("nope", "does not exist", "astra.yaml");
    assertThat(validated).isEmpty();
  }

  @Test
  void validate_fileInsteadOfDir_isUsageError_exits2() throws Exception {
    Path file = Files.writeString(dir.resolve("astra.yaml"), "id: x\n");

    Lc.Result result = Lc.runWith(reporting(), "validate", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is a file, not a directory");
  }

  @Test
  void validate_twoDirs_isUsageError_exits2() {
    Lc.Result result = Lc.runWith(reporting(), "validate", dir.toString(), dir.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(validated).isEmpty();
  }

  @Test
  void validate_projectOption_isTheSameAsDir() {
    String project = dir.toString();

    Lc.Result result = Lc.runWith(reporting(LINE_ONLY), "validate", "--project", project);

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines())
        .containsExactly(
            project + "/astra.yaml:7: warning: decision is unused", "valid (0 errors, 1 warning)");
    assertThat(validated).containsExactly(dir);
  }

  @Test
  void validate_dirAndDifferentProjectOption_isUsageError_exits2() {
    Lc.Result result =
        Lc.runWith(reporting(), "validate", dir.toString(), "-C", dir.resolve("x").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("the project is given twice");
    assertThat(validated).isEmpty();
  }
}
