package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Problem;
import io.lightcone.model.OutputId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ASTRA 0.0.14 {@code Output.format}: accepted, validated, and a warning while it is missing. */
class OutputFormatTest {
  @TempDir Path dir;

  private LoadedProject load(String outputs) {
    return ProjectLoader.load(
        Fixtures.project(dir, "astra.yaml", "id: demo\noutputs:\n" + outputs));
  }

  @Test
  void format_isLoadedIntoTheModel_withoutProblems() {
    LoadedProject p =
        load(
            """
              - id: plot
                type: figure
                format: png
                recipe: {command: "true"}
            """);
    assertThat(p.report().errors()).isEmpty();
    assertThat(p.report().warnings()).isEmpty();
    assertThat(p.analysis().outputs())
        .singleElement()
        .satisfies(o -> assertThat(o.format()).hasValue("png"));
  }

  @Test
  void missingFormat_isAWarningNamingTheOutput_andTheProjectStaysValid() {
    LoadedProject p =
        load(
            """
              - id: plot
                type: figure
                recipe: {command: "true"}
            """);
    assertThat(p.report().isValid()).isTrue();
    assertThat(p.report().warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.key()).isEqualTo("outputs[0].format");
              assertThat(w.line()).isEqualTo(3);
              assertThat(w.message()).contains("'plot'").contains("format:");
            });
  }

  @Test
  void formatWithDotAndCapitals_isAnError_suggestingTheRightSpelling() {
    LoadedProject p =
        load(
            """
              - id: plot
                type: figure
                format: .PNG
                recipe: {command: "true"}
            """);
    assertThat(p.report().errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("outputs[0].format");
              assertThat(e.line()).isEqualTo(5);
              assertThat(e.message()).contains("'.PNG'").contains("('png')");
            });
  }

  @Test
  void formatsWithDotsPlusAndDigits_areValid() {
    for (String format : new String[] {"tar.gz", "c++", "mp4", "nc", "h5_v2"}) {
      LoadedProject p =
          load(
              "  - id: out\n    type: data\n    format: "
                  + format
                  + "\n    recipe: {command: \"true\"}\n");
      assertThat(p.report().errors()).as(format).isEmpty();
      assertThat(p.analysis().outputs().get(0).id()).isEqualTo(OutputId.of("out"));
    }
  }

  @Test
  void aliasWithFormat_isAnError() {
    LoadedProject p =
        load(
            """
              - id: result
                from: child.metric
                format: json
            analyses:
              child:
                id: child
                outputs:
                  - id: metric
                    type: metric
                    format: json
                    recipe: {command: "true"}
            """);
    assertThat(p.report().errors()).extracting(Problem::key).contains("outputs[0].format");
  }
}
