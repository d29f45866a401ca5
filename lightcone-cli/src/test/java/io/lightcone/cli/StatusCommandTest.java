package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void status_neverRun_allMissing_exits0() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result = Lc.run("status", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines().get(0)).matches("UNIVERSE +OUTPUT +STATUS +REASONS");
    assertThat(result.outLines())
        .contains("baseline       calibration.zero_point  missing")
        .endsWith("11 outputs: 11 missing");
  }

  @Test
  void status_afterRun_allOk_andStaleWithReasonAfterADecisionChanged() {
    Path project = RanSample.at(dir.resolve("pl"));

    Lc.Result fresh = Lc.run("status", "-C", project.toString());

    assertThat(fresh.exitCode()).isZero();
    assertThat(fresh.outLines()).endsWith("11 outputs: 11 ok");

    TestProjects.edit(
        project.resolve("universes/baseline.yaml"), "fit_method: ols", "fit_method: theil_sen");

    Lc.Result stale = Lc.run("status", "-C", project.toString(), "-u", "baseline");

    assertThat(stale.exitCode()).isZero();
    assertThat(stale.outLines())
        .anyMatch(
            l ->
                l.matches(
                    "baseline +pl_fit +stale +code changed: decisions"
                        + " \\(fit_method: ols → theil_sen\\)"))
        .anyMatch(l -> l.matches("baseline +distance +stale +upstream stale: pl_fit"))
        .anyMatch(l -> l.matches("baseline +photometry +ok *"))
        .noneMatch(l -> l.startsWith("robust_v_band"))
        .endsWith("5 outputs: 2 ok, 3 stale");
  }

  @Test
  void status_json_groupsByUniverse_withTheDocumentedFields() throws Exception {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result = Lc.run("status", "--json", "-C", project.toString());

    assertThat(result.exitCode()).isZero();
    JsonNode root = JSON.readTree(result.out());
    assertThat(root.fieldNames()).toIterable().containsExactly("universes");
    assertThat(root.get("universes")).hasSize(2);
    JsonNode baseline = root.get("universes").get(0);
    assertThat(baseline.fieldNames())
        .toIterable()
        .containsExactly("universe_id", "origin", "name", "decisions", "outputs");
    assertThat(baseline.get("universe_id").asText()).isEqualTo("baseline");
    assertThat(baseline.get("origin").asText()).isEqualTo("file");
    assertThat(baseline.get("decisions").get("calibration.parallax_offset").asText())
        .isEqualTo("lindegren2021");
    assertThat(baseline.get("outputs")).hasSize(5);
    JsonNode zeroPoint = baseline.get("outputs").get(4);
    assertThat(zeroPoint.fieldNames())
        .toIterable()
        .containsExactly("output_id", "analysis_id", "status", "recipe_command", "reasons");
    assertThat(zeroPoint.get("output_id").asText()).isEqualTo("zero_point");
    assertThat(zeroPoint.get("analysis_id").asText()).isEqualTo("calibration");
    assertThat(zeroPoint.get("status").asText()).isEqualTo("missing");
    assertThat(zeroPoint.get("recipe_command").asText())
        .startsWith("python3 calibration/zero_point.py --calibrators {inputs.calibrators}");
    assertThat(zeroPoint.get("reasons").isArray()).isTrue();
  }

  @Test
  void status_json_aliasHasNullRecipeCommand() throws Exception {
    Path project =
        TestProjects.write(
            dir.resolve("alias"),
            "astra.yaml",
            """
            id: alias
            outputs:
              - id: made
                type: data
                recipe:
                  command: echo 1 > {output}/one.txt
              - id: handed_in
                type: data
            """,
            "universes/only.yaml",
            "id: only\n");

    Lc.Result result = Lc.run("status", "--json", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode outputs = JSON.readTree(result.out()).get("universes").get(0).get("outputs");
    assertThat(outputs.get(1).get("output_id").asText()).isEqualTo("handed_in");
    assertThat(outputs.get(1).get("status").asText()).isEqualTo("alias");
    assertThat(outputs.get(1).get("recipe_command").isNull()).isTrue();
  }

  @Test
  void status_unknownUniverse_exits3() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result = Lc.run("status", "-u", "nope", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("'nope'");
  }
}
