package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Plan;
import io.lightcone.core.Project;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lc task run}, the plumbing command out-of-process substrates call per task. */
class TaskRunCommandTest {
  @TempDir Path dir;

  private static String codeVersion(Path project, String task) {
    Plan plan = Project.load(project).plan();
    return plan.task(task).task().codeVersion();
  }

  @Test
  void taskRun_succeeds_printsOnlyTheResultLine_andPublishes_exits0() {
    Path project =
        TestProjects.oneTaskProject(dir.resolve("p"), "echo noisy; echo 42 > {output}/a.txt");

    Lc.Result result =
        Lc.run(
            "task",
            "run",
            "--project",
            project.toString(),
            "only/answer",
            "--expect-code-version",
            codeVersion(project, "only/answer"),
            "--substrate",
            "snakemake");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).matches("ok only/answer \\d+\\.\\ds\n").doesNotContain("noisy");
    assertThat(TestProjects.read(project.resolve(".lightcone/logs/only/answer.log")))
        .contains("noisy");
    assertThat(TestProjects.read(project.resolve("results/only/answer/.lightcone-manifest.json")))
        .contains("\"substrate\": \"snakemake\"");
  }

  @Test
  void taskRun_specChangedSincePlanning_failsTheTask_exits1() {
    Path project = TestProjects.oneTaskProject(dir.resolve("p"), "echo 42 > {output}/a.txt");

    Lc.Result result =
        Lc.run(
            "task",
            "run",
            "-C",
            project.toString(),
            "only/answer",
            "--expect-code-version",
            "sha256:" + "0".repeat(64));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .startsWith("failed only/answer")
        .contains("the spec changed since the plan was made");
    assertThat(project.resolve("results/only/answer")).doesNotExist();
  }

  @Test
  void taskRun_failingRecipe_exits1_namingTheLog() {
    Path project = TestProjects.oneTaskProject(dir.resolve("p"), "exit 7");

    Lc.Result result =
        Lc.run(
            "task",
            "run",
            "-C",
            project.toString(),
            "only/answer",
            "--expect-code-version",
            codeVersion(project, "only/answer"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("exit code 7", ".lightcone/logs/only/answer.log");
  }

  @Test
  void taskRun_withoutExpectedCodeVersion_isUsageError_exits2() {
    Lc.Result result = Lc.run("task", "run", "only/answer");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--expect-code-version");
  }

  @Test
  void taskRun_malformedTaskId_exits3() {
    Path project = TestProjects.oneTaskProject(dir.resolve("p"), "true");

    Lc.Result result =
        Lc.run("task", "run", "-C", project.toString(), "answer", "--expect-code-version", "x");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("<universe>/<output>");
  }

  @Test
  void task_isHiddenFromTheMainHelp_butHasItsOwn() {
    assertThat(Lc.run("--help").out()).doesNotContainPattern("(?m)^ +task ");
    Lc.Result help = Lc.run("task", "run", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: lc task run", "--expect-code-version=CV");
  }
}
