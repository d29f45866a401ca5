package io.lightcone.snakemake.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.model.OutputType;
import io.lightcone.model.Resources;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.TaskRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated Snakefile and sidecar; the last test has the real snakemake read them. */
class WorkflowTest {
  @TempDir Path dir;

  /** A plan of lightcone-core's making, without core: tasks and a plumbing command. */
  private Plan plan(List<PlannedTask> tasks) {
    PlanRuntime runtime =
        new PlanRuntime() {
          @Override
          public TaskRunner runner() {
            throw new UnsupportedOperationException("not in these tests");
          }

          @Override
          public List<String> taskCommand(Task task) {
            return List.of(
                "/opt/lightcone {odd} dir/lc",
                "task",
                "run",
                "--project",
                dir.toString(),
                task.id().toString(),
                "--expect-code-version",
                task.codeVersion());
          }

          @Override
          public AutoCloseable lock() {
            return () -> {};
          }
        };
    return new Plan(dir, tasks, List.of(), runtime);
  }

  private static Task task(String id, String outputDir, String recipe, String... dependsOn) {
    TaskId tid = TaskId.parse(id);
    Task.Builder b =
        Task.builder()
            .id(tid)
            .analysisId("root")
            .outputType(OutputType.DATA)
            .outputDir(outputDir)
            .template(recipe)
            .command(recipe)
            .codeVersion("sha256:" + Integer.toHexString((id + recipe).hashCode()));
    for (String d : dependsOn) {
      b.addDependsOn(TaskId.parse(d));
    }
    return b.build();
  }

  private static PlannedTask run(Task t) {
    return PlannedTask.builder()
        .task(t)
        .action(PlannedTask.Action.RUN)
        .addReasons("missing")
        .build();
  }

  private static PlannedTask skip(Task t) {
    return PlannedTask.builder()
        .task(t)
        .action(PlannedTask.Action.SKIP)
        .addReasons("fresh")
        .build();
  }

  /** Two universes of: clean, fit (reads clean, 2.5 cpus, 4Gi, 1 gpu, 90 min), calib.zero. */
  private List<PlannedTask> tasks(String fitRecipe, boolean cleanFresh) {
    List<PlannedTask> out = new ArrayList<>();
    for (String u : List.of("a", "b")) {
      Task clean = task(u + "/clean", "results/" + u + "/clean", "cp x {output}");
      Task fit =
          Task.builder()
              .from(task(u + "/fit", "results/" + u + "/fit", fitRecipe, u + "/clean"))
              .resources(
                  Resources.builder().cpus(2.5).memory("4Gi").gpus(1).timeLimit("1h30m").build())
              .build();
      Task zero = task(u + "/calib.zero", "calib/results/" + u + "/zero", "echo 0 > {output}/z");
      out.add(cleanFresh ? skip(clean) : run(clean));
      out.add(run(fit));
      out.add(run(zero));
    }
    return out;
  }

  @Test
  void snakefile_hasOneRulePerOutput_withUniverseTheOnlyWildcard() {
    Workflow w =
        Workflow.of(plan(tasks("fit {inputs}", false)), t -> plan(List.of()).taskCommand(t, "x"));
    assertThat(w.rules()).containsOnlyKeys("calib__zero", "clean", "fit");
    String s = w.snakefile();
    assertThat(s)
        .contains(
            """
            rule calib__zero:
                output:
                    directory("calib/results/{universe}/zero"),
                    "calib/results/{universe}/zero/.lightcone-manifest.json",
                input:
                    _task("calib.zero", "inputs"),
                params:
                    code_version=_task("calib.zero", "code_version"),
                threads: 1
                shell:
                    _shell("calib.zero")
            """)
        .contains(
            """
                threads: 3
                resources:
                    mem_mb=4295,
                    gpus=1,
                    runtime=90,
            """)
        .contains("rule LIGHTCONE_TARGETS:")
        .doesNotContain("results/a", "results/b", "sha256:");
    assertThat(s.indexOf("rule LIGHTCONE_TARGETS:")).isLessThan(s.indexOf("rule calib__zero:"));
  }

  @Test
  void snakefile_isTheSameBytes_forTheSamePlan_andWhenOnlyARecipeChanges() {
    Workflow first = Workflow.of(plan(tasks("fit v1", false)), WorkflowTest::argv);
    Workflow again = Workflow.of(plan(tasks("fit v1", false)), WorkflowTest::argv);
    Workflow edited = Workflow.of(plan(tasks("fit v2", false)), WorkflowTest::argv);
    assertThat(again.snakefile()).isEqualTo(first.snakefile());
    assertThat(again.sidecar()).isEqualTo(first.sidecar());
    assertThat(edited.snakefile()).isEqualTo(first.snakefile());
    assertThat(edited.sidecar()).isNotEqualTo(first.sidecar());
  }

  private static List<String> argv(Task t) {
    return List.of(
        "lc", "task", "run", t.id().toString(), "--expect-code-version", t.codeVersion());
  }

  @Test
  void sidecar_targetsAndInputs_areTheTasksToRun_andTheCommandHasItsPlaceholders() {
    Plan p = plan(tasks("fit", true));
    Workflow w = Workflow.of(p, t -> p.taskCommand(t, "snakemake"));
    String json = w.sidecar();
    // clean is fresh: not a target, and fit does not wait for it (the task runner checks it).
    assertThat(json)
        .contains(
            """
              "targets" : [ "results/a/fit/.lightcone-manifest.json", \
            "calib/results/a/zero/.lightcone-manifest.json", "results/b/fit/.lightcone-manifest.json", \
            "calib/results/b/zero/.lightcone-manifest.json" ],""")
        .contains("\"a/clean\" : {\n      \"action\" : \"skip\"")
        .contains(
            "\"command\" : [ \"/opt/lightcone {odd} dir/lc\", \"task\", \"run\", \"--project\", \""
                + dir
                + "\", {\n    \"fill\" : \"task\"\n  }, \"--expect-code-version\", {\n"
                + "    \"fill\" : \"code_version\"\n  } ]");
    Workflow all = Workflow.of(plan(tasks("fit", false)), WorkflowTest::argv);
    assertThat(all.sidecar())
        .contains("\"inputs\" : [ \"results/a/clean/.lightcone-manifest.json\" ]");
  }

  @Test
  void outputsWhoseRuleNamesCollide_areAUserError() {
    List<PlannedTask> tasks =
        List.of(
            run(task("u/a__b", "results/u/a__b", "x")), run(task("u/a.b", "a/results/u/b", "y")));
    assertThatThrownBy(() -> Workflow.of(plan(tasks), WorkflowTest::argv))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("outputs 'a__b' and 'a.b' would both be Snakemake rule 'a__b'");
  }

  @Test
  void pattern_keepsLiteralBraces_andRejectsAnUnknownLayout() {
    assertThat(Workflow.pattern(task("u/o", "odd{dir}/results/u/o", "x")))
        .isEqualTo("odd{{dir}}/results/{universe}/o");
    assertThatThrownBy(() -> Workflow.pattern(task("u/o", "elsewhere/o", "x")))
        .hasMessageContaining("does not end in 'results/u/o'");
  }

  @Test
  void realSnakemake_readsTheWorkflow_andPlansExactlyTheTasksToRun() throws Exception {
    Plan p = plan(tasks("fit", true));
    Workflow w = Workflow.of(p, t -> p.taskCommand(t, "snakemake"));
    w.write(dir);
    Installation snakemake = Installation.locate(Environment.system(), java.util.Optional.empty());
    Process run =
        new ProcessBuilder(
                snakemake.executable().toString(),
                "--snakefile",
                dir.resolve(Workflow.SNAKEFILE).toString(),
                "--directory",
                dir.toString(),
                "--cores",
                "2",
                "--forceall",
                "--dry-run",
                "--printshellcmds",
                "--nocolor",
                Workflow.TARGETS_RULE)
            .redirectErrorStream(true)
            .start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(out).isZero();
    assertThat(out)
        .containsPattern("\\ncalib__zero +2 ")
        .containsPattern("\\nfit +2 +2 +2")
        .doesNotContain("rule clean:")
        .contains(
            "'/opt/lightcone {odd} dir/lc' task run --project "
                + dir
                + " a/fit --expect-code-version sha256:");
    // The dry run leaves nothing behind in the results.
    assertThat(dir.resolve("results")).doesNotExist();
  }

  /**
   * The Snakefile makes Snakemake ask for its cluster jobs' states every second by replacing {@code
   * snakemake.executors.sleep} (10 s unless CI=true). That name must be there in the snakemake we
   * support, or dispatched runs silently wait 10 s a step again.
   */
  @Test
  void realSnakemake_hasThePollSleepTheSnakefileReplaces() throws Exception {
    Installation snakemake = Installation.locate(Environment.system(), java.util.Optional.empty());
    String shebang = Files.readAllLines(snakemake.executable()).get(0);
    assertThat(shebang).startsWith("#!");
    List<String> python =
        new java.util.ArrayList<>(List.of(shebang.substring(2).trim().split(" ")));
    python.addAll(
        List.of(
            "-c",
            "import inspect, snakemake.executors as e;"
                + " print(inspect.iscoroutinefunction(e.sleep))"));
    Process check = new ProcessBuilder(python).redirectErrorStream(true).start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out.strip()).as(out).isEqualTo("True");
    assertThat(Workflow.of(plan(tasks("fit", true)), WorkflowTest::argv).snakefile())
        .contains("_lightcone_executors.sleep = _lightcone_poll");
  }

  @Test
  void snakefile_isWrittenAtomically_underDotLightcone() throws IOException {
    Workflow w = Workflow.of(plan(tasks("fit", false)), WorkflowTest::argv);
    w.write(dir);
    assertThat(Files.readString(dir.resolve(".lightcone/Snakefile"))).isEqualTo(w.snakefile());
    assertThat(Files.readString(dir.resolve(".lightcone/Snakefile.json"))).isEqualTo(w.sidecar());
    try (var s = Files.list(dir.resolve(".lightcone"))) {
      assertThat(s.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("Snakefile", "Snakefile.json", "snakemake");
    }
    assertThat(dir.resolve(".lightcone/snakemake/plumbing_client.sh"))
        .content()
        .contains("LIGHTCONE_PLUMBING");
  }

  @Test
  void write_keepsThePlumbingClientInAPrivateDirectory() throws IOException {
    Files.createDirectories(dir.resolve(".lightcone/snakemake"));
    Files.setPosixFilePermissions(
        dir.resolve(".lightcone/snakemake"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")); // an older run's

    Workflow.of(plan(tasks("fit", false)), WorkflowTest::argv).write(dir);

    assertThat(Files.getPosixFilePermissions(dir.resolve(".lightcone/snakemake")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void write_dotLightconeOthersCanWrite_isRefusedAndNothingIsWritten() throws IOException {
    Path state = Files.createDirectories(dir.resolve(".lightcone"));
    Files.setPosixFilePermissions(
        state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Workflow w = Workflow.of(plan(tasks("fit", false)), WorkflowTest::argv);

    assertThatThrownBy(() -> w.write(dir))
        .isInstanceOf(io.lightcone.LightconeException.class)
        .hasMessageContaining(state + " has mode rwxrwxrwx, writable by others")
        .hasMessageContaining("chmod go-w " + state);
    assertThat(state.resolve("Snakefile")).doesNotExist();
  }
}
