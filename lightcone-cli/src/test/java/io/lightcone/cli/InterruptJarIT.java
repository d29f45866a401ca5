package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.VerifyReport;
import io.lightcone.core.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lc run} stopped from outside — SIGKILL at random moments, SIGINT, SIGTERM, a second run —
 * never publishes anything half-done and leaves no recipe running.
 */
class InterruptJarIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Recipes sleep this long unless the environment says otherwise (LC_IT_SLEEP). */
  private static final String SLEEP = "0.2";

  @TempDir Path dir;

  /**
   * Four outputs in a diamond (a; b and c after a; d after both), two universes: 8 tasks of {@code
   * SLEEP} s each. Every recipe writes its process group id into {@code .pids/} first, so the runs
   * are unsandboxed ({@code --sandbox off}): the sandbox refuses that write and hides host pids.
   */
  private static Path slowProject(Path dir) {
    String recipe = "sh work.sh {output} {decisions.flavour}";
    return TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: slow
        outputs:
          - id: a
            type: data
            decisions: [flavour]
            recipe: {command: "%1$s"}
          - id: b
            type: data
            inputs: [a]
            decisions: [flavour]
            recipe: {command: "%1$s"}
          - id: c
            type: data
            inputs: [a]
            decisions: [flavour]
            recipe: {command: "%1$s"}
          - id: d
            type: data
            inputs: [b, c]
            decisions: [flavour]
            recipe: {command: "%1$s"}
        decisions:
          flavour:
            label: Flavour
            default: sweet
            options:
              sweet: {label: Sweet}
              sour: {label: Sour}
        """
            .formatted(recipe),
        "universes/sweet.yaml",
        "id: sweet\ndecisions:\n  flavour: sweet\n",
        "universes/sour.yaml",
        "id: sour\ndecisions:\n  flavour: sour\n",
        "work.sh",
        """
        # work.sh OUTPUT FLAVOUR: records its process group, takes a while, writes its output.
        set -e
        set -- "$1" "$2" $(cat /proc/$$/stat)
        mkdir -p .pids
        echo "$1" > ".pids/$7"
        sleep "${LC_IT_SLEEP:-%s}"
        echo "$2" > "$1/value.txt"
        """
            .formatted(SLEEP));
  }

  /** The process groups the recipes of a project recorded so far. */
  private static Set<Long> groups(Path project) {
    Path pids = project.resolve(".pids");
    if (!Files.isDirectory(pids)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(pids)) {
      Set<Long> groups = new HashSet<>();
      files.forEach(f -> groups.add(Long.parseLong(f.getFileName().toString())));
      return groups;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under {@code results/}, path to bytes, manifests included. */
  private static Map<String, String> results(Path project) {
    Map<String, String> files = new TreeMap<>();
    Path results = project.resolve("results");
    try (Stream<Path> walk = Files.walk(results)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        files.put(results.relativize(f).toString(), Files.readString(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static void assertVerifies(Path project, String when) {
    VerifyReport report = Project.load(project).verify();
    assertThat(report.failures()).as(when + ":\n" + report).isZero();
  }

  @Test
  void killNine_twentyTimesAtRandomMoments_neverPublishesHalfDone_andLeavesNoRecipe()
      throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = slowProject(dir.resolve("slow"));
    String p = project.toString();
    // How long a run takes from its first recipe to its end: the window most kills land in.
    long begin = System.nanoTime();
    JarLc.Started calibration =
        lc.start(Map.of(), false, "run", "--sandbox", "off", "-j", "2", "-C", p);
    Await.until(PATIENCE, "the first recipe started", () -> !groups(project).isEmpty());
    long startupMillis = (System.nanoTime() - begin) / 1_000_000;
    JarLc.Run whole = calibration.await(PATIENCE.toSeconds());
    long executionMillis = (System.nanoTime() - begin) / 1_000_000 - startupMillis;
    assertThat(whole.exitCode()).as(whole.all()).isZero();

    Random random = new Random(20_240_601L);
    int midTask = 0;
    int betweenRecipes = 0;
    int duringStartup = 0;
    int afterTheEnd = 0;
    for (int trial = 0; trial < 20; trial++) {
      Set<Long> before = groups(project);
      JarLc.Started run =
          lc.start(
              Map.of(),
              false,
              "run",
              "--sandbox",
              "off",
              "--force-all",
              "--no-cache",
              "-j",
              "2",
              "-C",
              p);
      long delay;
      if (trial % 5 == 4) {
        // Every fifth kill lands while lc starts: loading, locking, cleaning up after the last.
        delay = (long) (random.nextDouble() * startupMillis);
      } else {
        // The machine's load makes start-up vary, so these count from the first recipe.
        Await.until(
            PATIENCE,
            "a recipe of trial " + trial + " started",
            () -> !run.process().isAlive() || groups(project).size() > before.size());
        delay = (long) (random.nextDouble() * executionMillis);
      }

      // Not a wait for something to happen: the random moment of the kill is the experiment.
      boolean endedFirst = run.process().waitFor(delay, TimeUnit.MILLISECONDS);
      run.process().destroyForcibly();
      assertThat(run.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

      Set<Long> started = new HashSet<>(groups(project));
      started.removeAll(before);
      if (endedFirst) {
        afterTheEnd++;
      } else if (!ProcessGroups.alive(started).isEmpty()) {
        midTask++; // a recipe was running when lc died: it is an orphan now
      } else if (started.isEmpty()) {
        duringStartup++;
      } else {
        betweenRecipes++; // publishing one, or about to start the next
      }
      assertVerifies(project, "after kill " + trial + " at " + delay + " ms");
    }
    System.out.printf(
        "kill -9 of lc run (start-up %d ms, then %d ms of recipes): %d of 20 landed mid-task,"
            + " %d between recipes, %d during start-up, %d after the run ended%n",
        startupMillis, executionMillis, midTask, betweenRecipes, duringStartup, afterTheEnd);

    JarLc.Run rerun = lc.run("run", "--sandbox", "off", "-j", "2", "-C", p);

    assertThat(rerun.exitCode()).as(rerun.all()).isZero();
    assertThat(lc.run("verify", "-C", p).exitCode()).isZero();
    assertThat(lc.run("status", "-C", p).out()).endsWith("8 outputs: 8 ok\n");
    assertThat(ProcessGroups.alive(groups(project)))
        .as("recipes of killed runs still alive")
        .isEmpty();
    assertThat(midTask).as("kills that landed while a recipe ran").isGreaterThanOrEqualTo(6);
  }

  @Test
  void sigint_cancelsStopsEveryRecipe_keepsPreviousOutputs_exits130_andASecondRunIsRefused() {
    JarLc lc = new JarLc(dir);
    Path project = slowProject(dir.resolve("slow"));
    String p = project.toString();
    assertThat(lc.run("run", "--sandbox", "off", "-C", p).exitCode()).isZero();
    Map<String, String> previous = results(project);
    Set<Long> before = groups(project);

    JarLc.Started slow =
        lc.start(
            Map.of("LC_IT_SLEEP", "60"),
            true,
            "run",
            "--sandbox",
            "off",
            "--force-all",
            "--no-cache",
            "-j",
            "2",
            "-C",
            p);
    Await.until(
        PATIENCE, "both first recipes run", () -> groups(project).size() == before.size() + 2);

    JarLc.Run second = lc.run("run", "--sandbox", "off", "-C", p);
    assertThat(second.exitCode()).as(second.all()).isEqualTo(1);
    assertThat(second.err())
        .contains(
            "another run holds the project's lock",
            "/.lightcone/lock",
            "(pid " + slow.process().pid() + ")");

    signal("INT", slow.process().pid());
    JarLc.Run interrupted = slow.await(PATIENCE.toSeconds());

    assertThat(interrupted.exitCode()).as(interrupted.all()).isEqualTo(130);
    assertThat(interrupted.out())
        .contains("8 tasks: 8 cancelled in ", "interrupted: running recipes were stopped");
    Set<Long> recipes = new HashSet<>(groups(project));
    recipes.removeAll(before);
    assertThat(recipes).hasSize(2);
    assertThat(ProcessGroups.alive(recipes)).isEmpty();
    assertThat(results(project)).isEqualTo(previous);
    assertThat(lc.run("verify", "-C", p).exitCode()).isZero();
  }

  @Test
  void sigterm_cleansUpAsCtrlCDoes_exits143() {
    JarLc lc = new JarLc(dir);
    Path project = slowProject(dir.resolve("slow"));
    JarLc.Started slow =
        lc.start(
            Map.of("LC_IT_SLEEP", "60"),
            false,
            "run",
            "--sandbox",
            "off",
            "-j",
            "2",
            "-C",
            project.toString());
    Await.until(PATIENCE, "both first recipes run", () -> groups(project).size() == 2);

    slow.process().destroy(); // SIGTERM
    JarLc.Run terminated = slow.await(PATIENCE.toSeconds());

    // The JVM exits 128 + 15 after SIGTERM once the shutdown hook (the same as for Ctrl-C) ran.
    assertThat(terminated.exitCode()).as(terminated.all()).isEqualTo(143);
    assertThat(terminated.out()).contains("interrupted: running recipes were stopped");
    assertThat(ProcessGroups.alive(groups(project))).isEmpty();
    assertThat(project.resolve("results/sweet/a")).doesNotExist();
  }

  @Test
  void sigtermByKill_duringRunJson_endsWithAnInterruptedSummaryEvent_exits143() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = slowProject(dir.resolve("slow"));
    JarLc.Started slow =
        lc.start(
            Map.of("LC_IT_SLEEP", "60"),
            false,
            "run",
            "--json",
            "--sandbox",
            "off",
            "-j",
            "2",
            "-C",
            project.toString());
    Await.until(PATIENCE, "both first recipes run", () -> groups(project).size() == 2);

    signal("TERM", slow.process().pid());
    JarLc.Run terminated = slow.await(PATIENCE.toSeconds());

    assertThat(terminated.exitCode()).as(terminated.all()).isEqualTo(143);
    List<String> lines = terminated.out().lines().toList();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : lines) {
      json.readTree(line); // every line is JSON, the last one too
    }
    com.fasterxml.jackson.databind.JsonNode summary = json.readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("event").asText()).isEqualTo("summary");
    assertThat(summary.get("interrupted").asBoolean()).isTrue();
    assertThat(ProcessGroups.alive(groups(project))).isEmpty();
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
      assertThat(kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
