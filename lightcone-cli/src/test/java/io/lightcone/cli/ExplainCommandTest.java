package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir Path dir;

  @Test
  void explain_changedDecision_tellsTheStory() {
    Path project = RanSample.at(dir.resolve("pl"));
    TestProjects.edit(
        project.resolve("universes/baseline.yaml"), "fit_method: ols", "fit_method: theil_sen");

    Lc.Result result = Lc.run("explain", "pl_fit", "-u", "baseline", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines().get(0)).isEqualTo("baseline/pl_fit  (results/baseline/pl_fit)");
    assertThat(result.outLines().get(1))
        .isEqualTo("verdict: stale — code changed: decisions (fit_method: ols → theil_sen)");
    assertThat(result.outLines())
        .anyMatch(l -> l.matches("decisions\\.fit_method +ols +theil_sen +changed"))
        .anyMatch(l -> l.matches("photometry +sha256:\\S+ +sha256:\\S+"));
  }

  @Test
  void explain_qualifiedOutput_neverRun_isMissing() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result =
        Lc.run(
            "explain", "calibration.zero_point", "-u", "robust_v_band", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines().get(1)).startsWith("verdict: missing");
  }

  @Test
  void explain_oneUniverse_needsNoU() {
    Path project = TestProjects.validProject(dir.resolve("tiny"));

    Lc.Result result = Lc.run("explain", "answer", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("baseline/answer  (results/baseline/answer)");
  }

  @Test
  void explain_severalUniversesWithoutU_isUsageError_listingThem() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result = Lc.run("explain", "pl_fit", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("the project has 2 universes; choose one with -u (baseline, robust_v_band)");
  }

  @Test
  void explain_unknownOutput_exits3() {
    Path project = TestProjects.validProject(dir.resolve("tiny"));

    Lc.Result result = Lc.run("explain", "nope", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("nope");
  }
}
