package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lightcone.InvalidProjectException;
import io.lightcone.Problem;
import io.lightcone.ValidationReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HostileInputTest {
  @TempDir static Path root;
  static Map<String, Path> cases;

  @BeforeAll
  static void materialize() {
    cases = HostileCorpus.materialize(root);
  }

  static Stream<String> names() {
    return HostileCorpus.NAMES.stream();
  }

  @ParameterizedTest
  @MethodSource("names")
  void hostileProject_isRejectedWithPositionedErrors_quickly(String name) {
    Path project = cases.get(name);
    ValidationReport report =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Project.validate(project));
    assertThat(report.isValid()).as(name).isFalse();
    for (Problem p : report.errors()) {
      assertThat(p.file()).as("%s: %s", name, p).isNotEmpty();
      assertThat(p.message())
          .as("%s: %s", name, p)
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
    assertThatThrownBy(() -> Project.load(project)).isInstanceOf(InvalidProjectException.class);
  }

  @Test
  void wrongTypes_areAllReportedAtOnce() {
    ValidationReport r = Project.validate(cases.get("wrong_types"));
    assertThat(r.errors())
        .extracting(Problem::key)
        .contains(
            "tags",
            "outputs",
            "decisions.m.label",
            "decisions.m.options.a.excluded",
            "analyses.sub.outputs[0].recipe.resources.cpus",
            "analyses.sub.outputs[0].recipe.resources.gpus",
            "analyses.sub.outputs[0].recipe.resources.memory",
            "analyses.sub.outputs[0].recipe.resources.time_limit");
  }

  @Test
  void shellMetacharacters_inIds_areRejectedAsIds() {
    ValidationReport r = Project.validate(cases.get("shell_metacharacters"));
    assertThat(r.errors())
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("'a; rm -rf /' is not a valid option id"))
        .anySatisfy(m -> assertThat(m).contains("'$(touch pwned)' is not a valid option id"))
        .anySatisfy(m -> assertThat(m).contains("'`id`' is not a valid option id"))
        .anySatisfy(
            m ->
                assertThat(m).contains("'out put' is not a valid output id").contains("'out_put'"));
    assertThat(cases.get("shell_metacharacters").resolve("pwned")).doesNotExist();
  }

  @Test
  void hugeFile_namesItsSize() {
    ValidationReport r = Project.validate(cases.get("ten_megabytes"));
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo("astra.yaml");
              assertThat(p.message()).contains("9.5 MiB").contains("8 MiB");
            });
  }

  @Test
  void symlinkOutOfTheProject_isCaught() {
    ValidationReport r = Project.validate(cases.get("symlink_escape"));
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            p -> assertThat(p.message()).contains("outside the project through a symbolic link"));
  }
}
