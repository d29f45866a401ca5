package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.ExecutionReport;
import io.lightcone.Plan;
import io.lightcone.TaskResult;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's story on a fresh {@code lc init} project: editing the analysis code makes its outputs
 * stale, names the file, and neither status nor the cache brings back the old code's result.
 */
class CodeTrackingCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path ranProject() {
    Path project = dir.resolve("p");
    assertThat(Lc.run("init", project.toString()).exitCode()).isZero();
    Lc.Result run = Lc.run("run", "-C", project.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return project;
  }

  private static double value(Path project) throws IOException {
    return JSON.readTree(project.resolve("results/baseline/estimate/estimate.json").toFile())
        .get("value")
        .asDouble();
  }

  private static void editEstimate(Path project) {
    TestProjects.edit(
        project.resolve("src/estimate.py"), "\"value\": round(value, 4)", "\"value\": 12345.0");
  }

  @Test
  void editedScript_isStaleWithItsName_plansARun_andAFreshRunGivesTheNewValueNotARestore()
      throws IOException {
    // 1. lc run: the old code's value.
    Path project = ranProject();
    assertThat(value(project)).isNotEqualTo(12345.0);
    assertThat(
            TestProjects.read(
                project.resolve("results/baseline/estimate/.lightcone-manifest.json")))
        .contains("\"code_files\": {\n    \"src/estimate.py\": \"sha256:");

    // 2. Edit src/estimate.py.
    editEstimate(project);

    // 3. status says stale, naming the file; dependants are upstream stale; plan runs them.
    Lc.Result status = Lc.run("status", "-C", project.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.outLines())
        .anyMatch(l -> l.matches("baseline +estimate +stale +code changed: src/estimate\\.py"))
        .anyMatch(l -> l.matches("robust +estimate +stale +code changed: src/estimate\\.py"))
        .anyMatch(l -> l.matches("baseline +report +stale +upstream stale: estimate"))
        .anyMatch(l -> l.matches("baseline +cleaned +ok *"))
        .endsWith("6 outputs: 2 ok, 4 stale");
    Lc.Result plan = Lc.run("plan", "-C", project.toString());
    assertThat(plan.outLines())
        .anyMatch(l -> l.matches("baseline/estimate +run +code changed: src/estimate\\.py"))
        .anyMatch(l -> l.matches("baseline/cleaned +skip +fresh"));
    Lc.Result explain = Lc.run("explain", "-C", project.toString(), "-u", "baseline", "estimate");
    assertThat(explain.out())
        .contains("verdict: stale — code changed: src/estimate.py")
        .containsPattern(
            "code_files\\.src/estimate\\.py +sha256:[0-9a-f]{64} +sha256:[0-9a-f]{64} +changed");

    // 4. rm -rf results && lc run: the new code runs; the cache does not resurrect the old value.
    deleteTree(project.resolve("results"));
    Lc.Result again = Lc.run("run", "-C", project.toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(value(project)).isEqualTo(12345.0);
    assertThat(
            TestProjects.read(
                project.resolve("results/baseline/estimate/.lightcone-manifest.json")))
        .doesNotContain("restored_from_cache");
    assertThat(Lc.run("status", "-C", project.toString()).outLines()).endsWith("6 outputs: 6 ok");
  }

  @Test
  void manifestWrittenBeforeCodeFilesWereRecorded_isStale_codeFilesNotRecorded()
      throws IOException {
    Path project = ranProject();
    Path manifest = project.resolve("results/baseline/estimate/.lightcone-manifest.json");
    ObjectNode m = (ObjectNode) JSON.readTree(manifest.toFile());
    m.remove("code_files");
    Files.writeString(manifest, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));

    Lc.Result status = Lc.run("status", "-C", project.toString(), "-u", "baseline");

    assertThat(status.outLines())
        .anyMatch(
            l -> l.matches("baseline +estimate +stale +code changed: code files not recorded"))
        .anyMatch(l -> l.matches("baseline +cleaned +ok *"));
  }

  @Test
  void codeGlobs_inLightconeYaml_makeEveryTaskStale_andAGlobMatchingNothingWarns()
      throws IOException {
    Path project = ranProject();
    TestProjects.write(project, "lib/helpers.py", "X = 1\n");
    TestProjects.write(project, "lightcone.yaml", "code: [\"lib/**/*.py\", \"R/*.R\"]\n");

    Lc.Result validate = Lc.run("validate", project.toString());
    assertThat(validate.out())
        .contains(
            "lightcone.yaml:1:23: warning: code glob 'R/*.R' matches no file in the project;"
                + " fix the pattern or remove it");
    Lc.Result status = Lc.run("status", "-C", project.toString(), "-u", "baseline");
    assertThat(status.outLines())
        .anyMatch(
            l -> l.matches("baseline +cleaned +stale +code changed: lib/helpers\\.py \\(added\\)"));

    assertThat(Lc.run("run", "-C", project.toString()).exitCode()).isZero();
    TestProjects.write(project, "lib/helpers.py", "X = 2\n");

    assertThat(Lc.run("status", "-C", project.toString(), "-u", "baseline").outLines())
        .anyMatch(l -> l.matches("baseline +cleaned +stale +code changed: lib/helpers\\.py"));
  }

  @Test
  void globLeavingTheProject_isAnError_exit3() {
    Path project = dir.resolve("p");
    assertThat(Lc.run("init", project.toString()).exitCode()).isZero();
    TestProjects.write(project, "lightcone.yaml", "code: [../elsewhere/*.py]\n");

    Lc.Result validate = Lc.run("validate", project.toString());

    assertThat(validate.exitCode()).isEqualTo(3);
    assertThat(validate.out())
        .contains("lightcone.yaml:1:8: error: code glob '../elsewhere/*.py' leaves the project");
  }

  @Test
  void codeFileGoneBetweenPlanAndRun_theTaskFailsNamingIt() throws IOException {
    Path project = dir.resolve("p");
    assertThat(Lc.run("init", project.toString()).exitCode()).isZero();
    Plan plan = Project.load(project).plan();
    Files.delete(project.resolve("src/estimate.py"));

    ExecutionReport report = plan.execute(LocalSubstrate.create());

    // Without --keep-going the first failure skips the rest: one estimate task fails, first.
    TaskResult estimate =
        report.results().stream()
            .filter(r -> r.outcome() == TaskResult.Outcome.FAILED)
            .findFirst()
            .orElseThrow();
    assertThat(estimate.task().output().toString()).isEqualTo("estimate");
    assertThat(estimate.detail())
        .startsWith("code file src/estimate.py is gone since the plan was made");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
