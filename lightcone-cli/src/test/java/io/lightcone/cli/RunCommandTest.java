package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.core.Project;
import io.lightcone.event.ExecutionListener;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.Substrate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void run_sample_exits0_andASecondRunFindsEverythingUpToDate() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result first = Lc.run("run", "-C", project.toString());

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.outLines())
        .startsWith("11 tasks, 11 to run")
        .anyMatch(l -> l.matches("\\[\\d+/11] start baseline/pl_fit"))
        .anyMatch(l -> l.matches("\\[\\d+/11] ok baseline/pl_fit \\d+\\.\\ds"));
    assertThat(first.outLines().get(first.outLines().size() - 1))
        .matches("11 tasks: 11 succeeded in \\d+\\.\\ds");
    assertThat(first.out()).doesNotContain("\r");
    assertThat(project.resolve("results/robust_v_band/distance/.lightcone-manifest.json"))
        .isRegularFile();

    Lc.Result second = Lc.run("run", "-C", project.toString());

    assertThat(second.exitCode()).isZero();
    assertThat(second.outLines().get(0)).isEqualTo("11 tasks, 0 to run (11 up-to-date)");
    assertThat(second.outLines().get(1)).matches("11 tasks: 11 up-to-date in \\d+\\.\\ds");
  }

  @Test
  void run_universeAndTarget_runsOnlyWhatTheTargetNeeds() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result = Lc.run("run", "-C", project.toString(), "-u", "baseline", "photometry");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.outLines()).startsWith("1 task, 1 to run");
    assertThat(project.resolve("results/baseline/photometry/photometry.csv")).isRegularFile();
    assertThat(project.resolve("results/robust_v_band")).doesNotExist();
  }

  @Test
  void run_forceAllNoCache_runsTheRecipeAgain() {
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("again"), "echo ran >> runs.txt; echo 1 > {output}/one.txt");
    // The recipe counts its runs in the project root: unsandboxed.
    assertThat(Lc.run("run", "--sandbox", "off", "-C", project.toString()).exitCode()).isZero();

    Lc.Result again =
        Lc.run("run", "--sandbox", "off", "--force-all", "--no-cache", "-C", project.toString());

    assertThat(again.exitCode()).as(again.out()).isZero();
    assertThat(again.out()).contains("1 task: 1 succeeded in ");
    assertThat(TestProjects.read(project.resolve("runs.txt"))).isEqualTo("ran\nran\n");
  }

  @Test
  void run_failingRecipe_exits1_andShowsTheLogTail() {
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("fails"), "echo first; echo second >&2; mkdir -p {output}; exit 3");

    Lc.Result result = Lc.run("run", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.outLines())
        .endsWith(
            "    | first",
            "    | second",
            result.outLines().get(5),
            "failed: only/answer: exit code 3 (log: .lightcone/logs/only/answer.log)");
    assertThat(result.outLines().get(2))
        .matches(
            "\\[1/1] failed only/answer \\d+\\.\\ds: exit code 3"
                + " \\(log: \\.lightcone/logs/only/answer\\.log\\)");
    assertThat(result.outLines().get(5)).matches("1 task: 1 failed in \\d+\\.\\ds");
    assertThat(project.resolve("results/only/answer")).doesNotExist();
  }

  @Test
  void run_keepGoing_skipsOnlyTheDependentsOfAFailure() {
    Path project =
        TestProjects.write(
            dir.resolve("three"),
            "astra.yaml",
            """
            id: three
            outputs:
              - id: broken
                type: data
                recipe:
                  command: exit 1
              - id: after_broken
                type: data
                inputs: [broken]
                recipe:
                  command: echo x > {output}/x.txt
              - id: independent
                type: data
                recipe:
                  command: echo y > {output}/y.txt
            """,
            "universes/only.yaml",
            "id: only\n");

    Lc.Result result = Lc.run("run", "--keep-going", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.outLines())
        .anyMatch(l -> l.matches("\\[\\d/3] failed only/broken .*"))
        .anyMatch(l -> l.matches("\\[\\d/3] skipped only/after_broken: only/broken failed"))
        .anyMatch(l -> l.matches("\\[\\d/3] ok only/independent .*"));
    assertThat(result.out()).contains("3 tasks: 1 succeeded, 1 failed, 1 skipped in ");
  }

  @Test
  void run_outputCheckWarning_isPrinted_andDoesNotFail() {
    Path project =
        TestProjects.write(
            dir.resolve("warns"),
            "astra.yaml",
            """
            id: warns
            outputs:
              - id: answer
                type: metric
                recipe:
                  command: echo 42 > {output}/answer.txt
            """,
            "universes/only.yaml",
            "id: only\n");

    Lc.Result result = Lc.run("run", "-C", project.toString());

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.outLines()).anyMatch(l -> l.startsWith("warning: only/answer: "));
  }

  @Test
  void run_onATerminal_redrawsOneStatusLine() {
    Path project = TestProjects.oneTaskProject(dir.resolve("tty"), "echo 1 > {output}/one.txt");
    CliEnvironment terminal = new CliEnvironment(true, 80, Interrupts.NONE, System::nanoTime);

    Lc.Result result = Lc.runIn(terminal, "run", "-C", project.toString());

    assertThat(result.exitCode()).as(result.out()).isZero();
    assertThat(result.out())
        .contains("\r[0/1] 1 running, 0 failed | ")
        .contains("[1/1] ok only/answer ")
        .doesNotContain("start only/answer")
        .endsWith("1 task: 1 succeeded in " + lastWord(result.out()) + "\n");
  }

  private static String lastWord(String text) {
    String s = text.strip();
    return s.substring(s.lastIndexOf(' ') + 1);
  }

  @Test
  void run_badOptionValues_areUsageErrors_exit2() {
    Path project = TestProjects.oneTaskProject(dir.resolve("opts"), "true");

    Lc.Result jobs = Lc.run("run", "-j", "0", "-C", project.toString());
    assertThat(jobs.exitCode()).isEqualTo(2);
    assertThat(jobs.err()).startsWith("lc: -j/--jobs: jobs must be >= 1");
    Lc.Result memory = Lc.run("run", "--memory", "lots", "-C", project.toString());
    assertThat(memory.exitCode()).isEqualTo(2);
    assertThat(memory.err()).startsWith("lc: --memory: memory 'lots': write a size like 8Gi");
    Lc.Result substrate = Lc.run("run", "--substrate", "kubernetes", "-C", project.toString());
    assertThat(substrate.exitCode()).isEqualTo(2);
    assertThat(substrate.err())
        .contains(
            "--substrate 'kubernetes' is not available",
            "this lc runs on: local, dask, slurm, snakemake");
    Lc.Result budget =
        Lc.run("run", "--substrate", "snakemake", "--cpus", "2", "-C", project.toString());
    assertThat(budget.exitCode()).isEqualTo(2);
    assertThat(budget.err()).contains("--cpus budgets the local substrate");
    assertThat(project.resolve("results")).doesNotExist();
  }

  @Test
  void run_daskWithTheLocalBudget_isAUsageError_exit2() {
    Path project = TestProjects.oneTaskProject(dir.resolve("dask"), "true");

    Lc.Result cpus = Lc.run("run", "--substrate", "dask", "--cpus", "2", "-C", project.toString());

    assertThat(cpus.exitCode()).isEqualTo(2);
    assertThat(cpus.err())
        .contains("--cpus budgets the local substrate; dask schedules by each recipe's");
    assertThat(project.resolve("results")).doesNotExist();
  }

  @Test
  void run_dispatchWithoutSnakemake_orToAnUnknownCluster_isAUsageError_exit2() {
    Path project = TestProjects.oneTaskProject(dir.resolve("dispatch"), "true");

    Lc.Result local = Lc.run("run", "--dispatch", "dask", "-C", project.toString());
    Lc.Result unknown =
        Lc.run("run", "--substrate", "snakemake", "--dispatch", "slurm", "-C", project.toString());

    assertThat(local.exitCode()).isEqualTo(2);
    assertThat(local.err()).contains("--dispatch applies to --substrate snakemake; local runs");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("--dispatch 'slurm' is not available; snakemake dispatches to: dask");
    assertThat(project.resolve("results")).doesNotExist();
  }

  @Test
  void run_whileAnotherRunHoldsTheLock_exits1_namingTheLockAndThePid() throws Exception {
    Path project = TestProjects.oneTaskProject(dir.resolve("busy"), "true");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Substrate holding =
        new Substrate() {
          @Override
          public String name() {
            return "holding";
          }

          @Override
          public ExecutionReport execute(ExecutionContext context) {
            started.countDown();
            try {
              release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new ExecutionReport(name(), List.of(), Duration.ZERO);
          }
        };
    Execution other = Project.load(project).plan().start(holding, ExecutionListener.NONE);
    try {
      assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

      Lc.Result result = Lc.run("run", "-C", project.toString());

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err())
          .startsWith("lc: another run holds the project's lock ")
          .contains(".lightcone/lock", "(pid " + ProcessHandle.current().pid() + ")");
    } finally {
      release.countDown();
      other.await();
    }
  }

  /** Interrupts fired by the test, on a thread of their own as the JVM runs shutdown hooks. */
  private static final class FakeInterrupts implements Interrupts {
    final AtomicReference<Runnable> action = new AtomicReference<>();

    @Override
    public Handle onInterrupt(Runnable onInterrupt) {
      action.set(onInterrupt);
      return () -> {};
    }

    Thread fire() {
      Thread hook = new Thread(action.get(), "fake-shutdown-hook");
      hook.start();
      return hook;
    }
  }

  @Test
  void run_interrupted_killsTheRecipe_publishesNothing_exits130() throws Exception {
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("slow"), "echo $$ > recipe.pid; sleep 30; echo late > {output}/x.txt");
    FakeInterrupts interrupts = new FakeInterrupts();
    CliEnvironment environment = new CliEnvironment(false, 100, interrupts, System::nanoTime);
    CompletableFuture<Lc.Result> run =
        CompletableFuture.supplyAsync(
            () -> Lc.runIn(environment, "run", "--sandbox", "off", "-C", project.toString()));
    Path pidFile = project.resolve("recipe.pid");
    Await.until(
        PATIENCE, "the recipe started", () -> Files.isRegularFile(pidFile) && size(pidFile) > 1);
    long recipe = Long.parseLong(TestProjects.read(pidFile).strip());

    Thread hook = interrupts.fire();
    Lc.Result result = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    hook.join(PATIENCE.toMillis());

    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(130);
    assertThat(result.out())
        .contains("cancelled only/answer")
        .contains("1 task: 1 cancelled in ")
        .contains("interrupted: running recipes were stopped");
    assertThat(hook.isAlive()).as("the shutdown hook returned").isFalse();
    assertThat(ProcessGroups.alive(List.of(recipe))).isEmpty();
    assertThat(project.resolve("results/only/answer")).doesNotExist();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
