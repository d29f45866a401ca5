package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Problem;
import io.lightcone.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ASTRA spec's own fixtures and examples: every valid one loads, every invalid one fails. */
class ConformanceTest {
  private static final Path ROOT = Fixtures.conformance();

  @Test
  void validAnalysis_loadsWithoutErrors() {
    LoadedProject p = ProjectLoader.load(ROOT.resolve("data/valid"), "Analysis-001.yaml");
    assertThat(p.report().errors()).isEmpty();
    assertThat(p.analysis().id().value()).isEqualTo("photoz_pipeline");
    assertThat(p.analysis().analyses()).hasSize(1);
    // The content is bound, not only accepted.
    assertThat(p.analysis().outputs())
        .allSatisfy(o -> assertThat(o.type()).isPresent())
        .allSatisfy(o -> assertThat(o.recipe()).isPresent());
    assertThat(
            p.analysis().outputs().get(1).recipe().orElseThrow().resources().orElseThrow().gpus())
        .hasValue(1);
    assertThat(p.analysis().inputs()).allSatisfy(i -> assertThat(i.source()).isPresent());
    assertThat(p.analysis().analyses().values().iterator().next().inputs().get(0).from())
        .hasValueSatisfying(r -> assertThat(r).hasToString("../spectroscopic_sample"));
  }

  @Test
  void validUniverse_resolvesAgainstValidAnalysis(@TempDir Path dir) throws IOException {
    Files.copy(ROOT.resolve("data/valid/Analysis-001.yaml"), dir.resolve("astra.yaml"));
    Files.createDirectories(dir.resolve("universes"));
    Files.copy(
        ROOT.resolve("data/valid/Universe-001.yaml"), dir.resolve("universes/Universe-001.yaml"));
    LoadedProject p = ProjectLoader.load(dir);
    assertThat(p.report().errors()).isEmpty();
    assertThat(p.universes())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.id().value()).isEqualTo("baseline");
              assertThat(u.choices()).hasSize(3);
              assertThat(u.choices().toString()).contains("calibration.cal_method=pitpz");
            });
  }

  @Test
  void validInsight_loadsWithoutErrors() {
    ValidationReport r = ProjectLoader.validateInsight(ROOT.resolve("data/valid/Insight-001.yaml"));
    assertThat(r.problems()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void examples_loadAndResolveEveryUniverse(String name) throws IOException {
    Path dir = ROOT.resolve("examples").resolve(name);
    LoadedProject p = ProjectLoader.load(dir);
    assertThat(p.report().errors()).isEmpty();
    long files;
    try (Stream<Path> s = Files.list(dir.resolve("universes"))) {
      files = s.count();
    }
    assertThat(p.universes()).hasSize((int) files);
  }

  static Stream<String> examples() {
    return Stream.of("iris", "iris_pipeline");
  }

  /** Each invalid file, with the line and key its leading comment is about. */
  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("Analysis-001.yaml", 4, "inputs[0].type"),
        Arguments.of("Analysis-001.yaml", 4, "inputs[0].id"),
        Arguments.of("Analysis-002-reserved-id.yaml", 12, "analyses.decisions"),
        Arguments.of("Analysis-003-reserved-decision.yaml", 12, "decisions.options"),
        Arguments.of("Analysis-004-from-with-type.yaml", 18, "analyses.child.inputs[0].type"),
        Arguments.of("Analysis-005-bare-from.yaml", 19, "analyses.child.inputs[0].from"),
        Arguments.of(
            "Analysis-006-aliased-decision-with-options.yaml",
            32,
            "analyses.child.decisions.seed.default"),
        Arguments.of(
            "Analysis-006-aliased-decision-with-options.yaml",
            33,
            "analyses.child.decisions.seed.options"),
        Arguments.of("Analysis-007-aliased-output-with-recipe.yaml", 14, "outputs[0].recipe"),
        Arguments.of("Analysis-008-aliased-output-with-format.yaml", 10, "outputs[0].format"),
        Arguments.of("Analysis-009-format-with-dot.yaml", 10, "outputs[0].format"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidFiles_areRejectedNamingFileLineAndKey(String file, int line, String key) {
    LoadedProject p = ProjectLoader.load(ROOT.resolve("data/invalid"), file);
    assertThat(p.report().isValid()).isFalse();
    List<Problem> errors = p.report().errors();
    assertThat(errors)
        .as("errors of %s: %s", file, errors)
        .anySatisfy(
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.key()).isEqualTo(key);
              String lastKey = key.replaceAll(".*[.]", "").replaceAll("\\[\\d+]", "");
              assertThat(e.message()).contains(lastKey);
            });
  }

  @Test
  void invalidFiles_allNineAreCovered() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("data/invalid"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).hasSize(9);
      assertThat(invalid().map(a -> (String) a.get()[0]).distinct().sorted().toList())
          .isEqualTo(names);
    }
  }
}
