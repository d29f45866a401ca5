package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.DecisionSpread;
import io.lightcone.FieldSummary;
import io.lightcone.LightconeException;
import io.lightcone.ResultRow;
import io.lightcone.Results;
import io.lightcone.ResultsOptions;
import io.lightcone.model.OptionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {
  @TempDir Path dir;

  /**
   * Two decisions, four universes; metric {@code m} writes v = 1, 2, 4, 8 for mean_lin, mean_log,
   * median_lin, median_log, an interval [v-1, v+1], w = v except null in median_log, and a string.
   */
  static Path ranProject(Path dir) {
    Path project =
        TestProjects.write(
            dir,
            "astra.yaml",
            """
            id: results
            decisions:
              estimator:
                label: Estimator
                options: {mean: {label: Mean}, median: {label: Median}}
              scale:
                label: Scale
                options: {lin: {label: Linear}, log: {label: Log}}
            outputs:
              - id: m
                type: metric
                decisions: [estimator, scale]
                recipe:
                  command: >-
                    case {decisions.estimator}_{decisions.scale} in mean_lin) v=1;; mean_log) v=2;;
                    median_lin) v=4;; median_log) v=8;; esac; w=$v; [ $v = 8 ] && w=null;
                    printf '{{"v": %s, "ci": {{"lo": %s, "hi": %s}}, "w": %s, "name": "x"}}'
                    $v $((v-1)) $((v+1)) $w > {output}/m.json
              - id: raw
                type: data
                recipe:
                  command: echo 1 > {output}/raw.txt
            """,
            "universes/mean_lin.yaml",
            "decisions: {estimator: mean, scale: lin}\n",
            "universes/mean_log.yaml",
            "decisions: {estimator: mean, scale: log}\n",
            "universes/median_lin.yaml",
            "decisions: {estimator: median, scale: lin}\n",
            "universes/median_log.yaml",
            "decisions: {estimator: median, scale: log}\n");
    Project.load(project).plan().execute(LocalSubstrate.create()).throwIfFailed();
    return project;
  }

  @Test
  void results_allFresh_oneRowPerUniverse_withChoicesValuesAndHandComputedSummary() {
    Path project = ranProject(dir);

    Results r = Project.load(project).results("m", "v");

    assertThat(r.fields()).containsExactly("m.v");
    assertThat(r.decisions()).extracting(Object::toString).containsExactly("estimator", "scale");
    assertThat(r.rows())
        .extracting(x -> x.universe().value())
        .containsExactly("mean_lin", "mean_log", "median_lin", "median_log");
    assertThat(r.rows()).allMatch(ResultRow::ok);
    assertThat(r.rows())
        .extracting(x -> x.value("m.v").getAsDouble())
        .containsExactly(1.0, 2.0, 4.0, 8.0);
    assertThat(r.rows().get(2).choices().values())
        .extracting(OptionId::value)
        .containsExactly("median", "lin");
    FieldSummary s = r.summary("m.v").orElseThrow();
    assertThat(s.count()).isEqualTo(4);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.median()).isEqualTo(3.0); // (2 + 4) / 2
    assertThat(s.max()).isEqualTo(8.0);
    // estimator: mean -> median(1, 2) = 1.5, median -> median(4, 8) = 6: spread 4.5
    // scale: lin -> median(1, 4) = 2.5, log -> median(2, 8) = 5: spread 2.5
    assertThat(s.spreads())
        .extracting(d -> d.decision().toString())
        .containsExactly("estimator", "scale");
    DecisionSpread estimator = s.spreads().get(0);
    assertThat(estimator.medians())
        .containsExactly(
            Map.entry(OptionId.of("mean"), 1.5), Map.entry(OptionId.of("median"), 6.0));
    assertThat(estimator.spread()).isEqualTo(4.5);
    assertThat(s.spreads().get(1).spread()).isEqualTo(2.5);
    assertThat(r.toString())
        .startsWith("UNIVERSE    estimator  scale  m.v\nmean_lin    mean       lin    1\n")
        .contains("4 universe(s): 4 ok")
        .contains("m.v: min 1, median 3, max 8 over 4 ok universe(s)")
        .contains("  estimator moves the median by 4.5 (mean 1.5, median 6)")
        .contains("  scale moves the median by 2.5 (lin 2.5, log 5)");
  }

  @Test
  void results_tamperedMetric_isLeftOutAndListedAsTampered() throws Exception {
    Path project = ranProject(dir);
    Path json = project.resolve("results/median_log/m/m.json");
    Files.writeString(json, Files.readString(json).replace("\"v\": 8", "\"v\": 9"));

    Results r = Project.load(project).results("m", "v");

    ResultRow tampered = r.rows().get(3);
    assertThat(tampered.state()).isEqualTo(ResultRow.State.TAMPERED);
    assertThat(tampered.reasons()).singleElement().asString().startsWith("m: tampered_data: ");
    assertThat(tampered.values()).isEmpty();
    assertThat(r.leftOut()).containsExactly(tampered);
    assertThat(r.table()).hasSize(3);
    assertThat(r.hasTampered()).isTrue();
    assertThat(r.summary("m.v").orElseThrow().median()).isEqualTo(2.0); // of 1, 2, 4
    assertThat(r.toString())
        .doesNotContainPattern("median_log +median +log")
        .contains("1 universe(s) left out")
        .contains("  median_log  tampered: m: tampered_data: manifest sha256:");
  }

  @Test
  void results_staleMetric_isListedAsStale_andShownMarkedWithIncludeStale() throws Exception {
    Path project = ranProject(dir);
    TestProjects.write(
        project, "universes/mean_lin.yaml", "decisions: {estimator: mean, scale: log}\n");
    Files.writeString(
        project.resolve("universes/extra.yaml"), "decisions: {estimator: median, scale: log}\n");

    Results r = Project.load(project).results("m", "v");

    ResultRow stale = r.rows().get(1); // universe files in name order: extra sorts first
    assertThat(stale.state()).isEqualTo(ResultRow.State.STALE);
    assertThat(stale.reasons())
        .singleElement()
        .asString()
        .startsWith("m: code changed: decisions (scale: lin → log)");
    assertThat(stale.values()).isEmpty();
    ResultRow missing = r.rows().get(0);
    assertThat(missing.universe().value()).isEqualTo("extra");
    assertThat(missing.state()).isEqualTo(ResultRow.State.MISSING);
    assertThat(missing.reasons()).containsExactly("m: not made yet");
    assertThat(r.summary("m.v").orElseThrow().count()).isEqualTo(3);

    Results marked =
        Project.load(project)
            .results(ResultsOptions.builder().addFields("m.v").includeStale(true).build());

    assertThat(marked.table()).hasSize(5);
    assertThat(marked.rows().get(1).value("m.v")).hasValue(1.0);
    assertThat(marked.rows().get(1).state()).isEqualTo(ResultRow.State.STALE);
    assertThat(marked.summary("m.v").orElseThrow().count()).isEqualTo(3);
    assertThat(marked.toString())
        .contains("STATE")
        .containsPattern("mean_lin +mean +log +1 +stale: m: code changed: decisions")
        .contains("(summaries count the ok ones only)");
  }

  @Test
  void results_fieldNullInOneUniverse_thatRowIsNotNumeric_othersStay() {
    Path project = ranProject(dir);

    Results r = Project.load(project).results(List.of("m.v", "m.w"));

    assertThat(r.rows().get(3).state()).isEqualTo(ResultRow.State.NOT_NUMERIC);
    assertThat(r.rows().get(3).reasons())
        .containsExactly("field 'w' of results/median_log/m/m.json is null, not a number");
    assertThat(r.summary("m.w").orElseThrow().max()).isEqualTo(4.0);
  }

  @Test
  void results_nestedField_andInterval() {
    Path project = ranProject(dir);

    Results r =
        Project.load(project)
            .results(
                ResultsOptions.builder()
                    .addFields("m.v")
                    .interval(List.of("ci.lo", "ci.hi"))
                    .build());

    assertThat(r.rows().get(1).interval()).hasValue(new ResultRow.Interval(1, 3));
    assertThat(Project.load(project).results("m", "ci.hi").summary("m.ci.hi").orElseThrow().max())
        .isEqualTo(9.0);
    assertThat(r.toCsv())
        .startsWith("universe,estimator,scale,m.v,m.v.low,m.v.high,state,reasons\n")
        .contains("mean_log,mean,log,2,1,3,ok,\n");
  }

  @Test
  void results_badInput_oneLineNamingTheFileOrValue() {
    Path project = ranProject(dir);
    Project p = Project.load(project);

    assertThatThrownBy(() -> p.results("m", "nope"))
        .isInstanceOf(LightconeException.class)
        .hasMessageStartingWith(
            "results/mean_lin/m/m.json has no field 'nope' (fields: v, ci, w, name)");
    assertThatThrownBy(() -> p.results("m", "name"))
        .hasMessageStartingWith("field 'name' of results/mean_lin/m/m.json is \"x\", not a number");
    assertThatThrownBy(() -> p.results("raw", "x"))
        .hasMessageStartingWith("output 'raw' is of type data in astra.yaml, not metric");
    assertThatThrownBy(() -> p.results("nope", "x"))
        .hasMessageStartingWith("field 'nope.x': no output 'nope'");
    assertThatThrownBy(() -> p.results(List.of("m"))).hasMessageContaining("write OUTPUT.FIELD");
    assertThatThrownBy(
            () ->
                p.results(
                    ResultsOptions.builder().addFields("m.v").addUniverses("nowhere").build()))
        .hasMessageContaining("no universe 'nowhere'");
  }
}
