package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
  @TempDir Path dir;

  @Test
  void init_newDirectory_scaffoldValidatesCleanly_runsEndToEnd_andVerifies() {
    Path project = dir.resolve("new/my-analysis");

    Lc.Result init = Lc.run("init", project.toString());

    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.outLines())
        .containsExactly(
            "made project 'my_analysis' in " + project + " (9 files)",
            "next: lc validate " + project,
            "      lc run -C " + project);
    assertThat(TestProjects.read(project.resolve("astra.yaml"))).startsWith("id: my_analysis\n");
    assertThat(TestProjects.read(project.resolve(".gitignore")))
        .contains("results/", ".lightcone/");

    Lc.Result validate = Lc.run("validate", project.toString());
    assertThat(validate.out()).isEqualTo("valid (0 errors, 0 warnings)\n");

    Lc.Result run = Lc.run("run", "-C", project.toString());
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains("6 tasks: 6 succeeded in ").doesNotContain("warning:");
    assertThat(project.resolve("results/robust/estimate/estimate.json")).isRegularFile();
    assertThat(project.resolve("results/baseline/cleaned/cleaned.csv")).isRegularFile();
    assertThat(TestProjects.read(project.resolve("results/robust/report/report.md")))
        .contains("The median of 18 readings");

    assertThat(Lc.run("verify", "-C", project.toString()).exitCode()).isZero();
    assertThat(Lc.run("status", "-C", project.toString()).outLines()).endsWith("6 outputs: 6 ok");
  }

  @Test
  void init_emptyExistingDirectory_isFine() throws Exception {
    Path project = Files.createDirectories(dir.resolve("empty"));

    Lc.Result init = Lc.run("init", project.toString());

    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(project.resolve("universes/robust.yaml")).isRegularFile();
  }

  @Test
  void init_nonEmptyDirectory_refusesAndTouchesNothing_exits3() throws Exception {
    Path project = TestProjects.write(dir.resolve("full"), "notes.txt", "mine");

    Lc.Result init = Lc.run("init", project.toString());

    assertThat(init.exitCode()).isEqualTo(3);
    assertThat(init.err())
        .isEqualTo(
            "lc: "
                + project
                + " is not empty (it has notes.txt); lc init makes a project in a new or empty"
                + " directory, so nothing is overwritten — give another DIR\n");
    try (var files = Files.list(project)) {
      assertThat(files).containsExactly(project.resolve("notes.txt"));
    }
  }

  @Test
  void init_file_refuses_exits3() throws Exception {
    Path file = TestProjects.write(dir, "a-file", "x").resolve("a-file");

    Lc.Result init = Lc.run("init", file.toString());

    assertThat(init.exitCode()).isEqualTo(3);
    assertThat(init.err()).contains("is a file");
  }

  @Test
  void projectId_isAnAstraIdMadeFromTheDirectoryName() {
    assertThat(InitCommand.projectId(Path.of("/x/My Analysis-2"))).isEqualTo("my_analysis_2");
    assertThat(InitCommand.projectId(Path.of("/x/2024-run"))).isEqualTo("run");
    assertThat(InitCommand.projectId(Path.of("/x/___"))).isEqualTo("analysis");
  }
}
