package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lc run --substrate snakemake} and {@code lc plan --substrate snakemake} as users start
 * them, with the real snakemake: the sample end to end, Ctrl-C, and a missing snakemake.
 */
class SnakemakeJarIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void sample_onSnakemake_runsVerifies_andIsFreshForTheLocalSubstrate() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    String p = project.toString();

    JarLc.Run plan = lc.run("plan", "-C", p, "--substrate", "snakemake");
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    assertThat(plan.out())
        .contains("11 tasks in 2 universe(s): 11 to run")
        .containsPattern("pl_fit\\s+2")
        .contains("snakemake --dry-run of .lightcone/Snakefile:", "Job stats:");
    assertThat(project.resolve("results")).doesNotExist();

    JarLc.Run run =
        lc.start(Map.of(), false, "run", "-C", p, "--substrate", "snakemake", "-j", "2")
            .await(PATIENCE.toSeconds());
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out()).contains("11 tasks: 11 succeeded");
    assertThat(project.resolve("results/baseline/pl_fit/.lightcone-manifest.json"))
        .content()
        .contains("\"substrate\": \"snakemake\"");
    assertThat(project.resolve(".lightcone/Snakefile")).content().contains("rule pl_fit:");
    assertThat(project.resolve(".lightcone/logs/snakemake.log")).isRegularFile();

    JarLc.Run verify = lc.run("verify", "-C", p);
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    JarLc.Run local = lc.run("run", "-C", p);
    assertThat(local.exitCode()).as(local.all()).isZero();
    assertThat(local.outLines().get(0)).isEqualTo("11 tasks, 0 to run (11 up-to-date)");
  }

  @Test
  void ctrlC_stopsSnakemakeAndEveryRecipe_exits130_andPublishesNothing() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project =
        TestProjects.write(
            dir.resolve("slow"),
            "astra.yaml",
            """
            id: slow
            outputs:
              - id: a
                type: data
                recipe: {command: "echo $$ > a.pid; sleep 60 & echo $! > a.child; wait"}
              - id: b
                type: data
                recipe: {command: "echo $$ > b.pid; sleep 60 & echo $! > b.child; wait"}
            """,
            "universes/u.yaml",
            "{}\n");
    JarLc.Started run =
        lc.start(
            Map.of(),
            true,
            "run",
            "-C",
            project.toString(),
            "--substrate",
            "snakemake",
            "--sandbox",
            "off"); // the recipes write their pids into the project root for the test
    Await.until(
        PATIENCE,
        "both recipes started",
        () -> Files.exists(project.resolve("a.child")) && Files.exists(project.resolve("b.child")));
    Await.until(
        PATIENCE,
        "both recipes wrote their pids",
        () ->
            !TestProjects.read(project.resolve("a.child")).isBlank()
                && !TestProjects.read(project.resolve("b.child")).isBlank());
    new ProcessBuilder("kill", "-INT", Long.toString(run.process().pid())).start().waitFor();
    JarLc.Run stopped = run.await(PATIENCE.toSeconds());
    assertThat(stopped.exitCode()).as(stopped.all()).isEqualTo(130);
    for (String f : new String[] {"a.pid", "a.child", "b.pid", "b.child"}) {
      long pid = Long.parseLong(Files.readString(project.resolve(f)).strip());
      Await.until(
          Duration.ofSeconds(20),
          f + " " + pid + " ended",
          () -> !Files.exists(Path.of("/proc", Long.toString(pid))));
    }
    Await.until(
        Duration.ofSeconds(20),
        "no snakemake or plumbing process of the run is left",
        () ->
            ProcessHandle.allProcesses()
                .noneMatch(h -> h.info().commandLine().orElse("").contains(project.toString())));
    assertThat(project.resolve("results/u/a")).doesNotExist();
    assertThat(project.resolve("results/u/b")).doesNotExist();
  }

  @Test
  void missingSnakemake_exits4_sayingHowToInstallIt() {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    Map<String, String> missing = Map.of("LIGHTCONE_SNAKEMAKE", dir.resolve("nope").toString());
    for (String command : new String[] {"run", "plan"}) {
      JarLc.Run r =
          lc.start(missing, false, command, "-C", project.toString(), "--substrate", "snakemake")
              .await(PATIENCE.toSeconds());
      assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
      assertThat(r.err()).contains("apt-get install snakemake").doesNotContain("\tat ");
    }
    assertThat(project.resolve("results")).doesNotExist();
  }
}
