package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.PlanOptions;
import io.lightcone.PlannedTask;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.VerifyResult;
import io.lightcone.event.ExecutionListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans executed on LocalSubstrate with real /bin/sh recipes: what is particular to it
 * (parallelism, its resources, time limits, the run lock) and to planning. What every substrate
 * must do (failures, keep-going, retries, a failed re-run, cancellation, a spec edited after
 * planning) is checked on LocalSubstrate by lightcone-testkit's {@code
 * LocalSubstrateConformanceTest}.
 */
class ExecutionTest {
  @TempDir Path dir;

  /**
   * Each recipe records when it started and ended (nanoseconds since an arbitrary origin, from date
   * +%s%N) so ordering and overlap are proven by timestamps, not by sleeping in the test.
   */
  private static String stamp(String body) {
    return "date +%s%N > {output}/start; " + body + "; date +%s%N > {output}/end";
  }

  private static final String DIAMOND =
      """
      id: diamond
      inputs:
        - id: raw
          type: data
          source: data/raw.txt
      decisions:
        method:
          label: Method
          default: a
          options:
            a: {label: A}
            b: {label: B}
      outputs:
        - id: clean
          type: data
          inputs: [raw]
          recipe:
            command: "%s"
        - id: left
          type: data
          inputs: [clean]
          decisions: [method]
          recipe:
            command: "%s"
        - id: right
          type: data
          inputs: [clean]
          recipe:
            command: "%s"
        - id: join
          type: data
          inputs: [left, right]
          recipe:
            command: "%s"
        - id: only_b
          type: data
          when: [method.b]
          inputs: [sub.leaf]
          recipe:
            command: "cat {inputs.sub.leaf}/v > {output}/v"
      analyses:
        sub:
          inputs:
            - id: cleaned
              from: ../raw
          outputs:
            - id: leaf
              type: data
              inputs: [cleaned]
              recipe:
                command: "cp {inputs.cleaned} {output}/v"
      """
          .formatted(
              stamp("cp {inputs.raw} {output}/c"),
              stamp("sleep 0.4; echo {decisions.method} > {output}/l"),
              stamp("sleep 0.4; echo r > {output}/r"),
              stamp("cat {inputs.left}/l {inputs.right}/r > {output}/j"));

  private Project diamond(String... universes) {
    String[] files = new String[universes.length + 4];
    files[0] = "astra.yaml";
    files[1] = DIAMOND;
    files[2] = "data/raw.txt";
    files[3] = "raw\n";
    System.arraycopy(universes, 0, files, 4, universes.length);
    TestProjects.write(dir, files);
    return Project.load(dir);
  }

  private long time(String output, String which) {
    return Long.parseLong(TestProjects.read(dir.resolve(output).resolve(which)).strip());
  }

  @Test
  void execute_runsInDependencyOrder_andIndependentTasksInParallel() {
    Project p =
        diamond(
            "universes/u1.yaml",
            "decisions: {method: a}\n",
            "universes/u2.yaml",
            "decisions: {method: b}\n");
    ExecutionReport report = p.plan().execute(LocalSubstrate.create().cpus(2).jobs(2));
    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(report.results()).hasSize(11);
    String u = "results/u1/";
    assertThat(time(u + "left", "start")).isGreaterThanOrEqualTo(time(u + "clean", "end"));
    assertThat(time(u + "right", "start")).isGreaterThanOrEqualTo(time(u + "clean", "end"));
    assertThat(time(u + "join", "start"))
        .isGreaterThanOrEqualTo(Math.max(time(u + "left", "end"), time(u + "right", "end")));
    // left and right have no edge between them: with two slots they overlap in time.
    assertThat(time(u + "left", "start")).isLessThan(time(u + "right", "end"));
    assertThat(time(u + "right", "start")).isLessThan(time(u + "left", "end"));
    assertThat(TestProjects.read(dir.resolve("results/u2/only_b/v"))).isEqualTo("raw\n");
    assertThat(dir.resolve("results/u1/only_b")).doesNotExist();
    assertThat(p.verify().passed()).isTrue();
    assertThat(p.status().isUpToDate()).isTrue();
    assertThat(p.plan().toRun()).isEmpty();
  }

  @Test
  void tasksNeedingAllCpus_neverOverlap() {
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: big
        outputs:
          - id: one
            type: data
            recipe:
              command: "%s"
              resources: {cpus: 2}
          - id: two
            type: data
            recipe:
              command: "%s"
              resources: {cpus: 2}
        """
            .formatted(stamp("sleep 0.3"), stamp("sleep 0.3")),
        "universes/u.yaml",
        "{}\n");
    ExecutionReport r = Project.load(dir).plan().execute(LocalSubstrate.create().cpus(2).jobs(2));
    assertThat(r.succeeded()).isTrue();
    long oneStart = time("results/u/one", "start");
    long oneEnd = time("results/u/one", "end");
    long twoStart = time("results/u/two", "start");
    long twoEnd = time("results/u/two", "end");
    assertThat(oneEnd <= twoStart || twoEnd <= oneStart).isTrue();
  }

  /**
   * For recipes that leave marks in the project root for the test to read (pids, counters): the
   * sandbox, on by default, refuses writes outside the output, so they run without it ({@code
   * SandboxTest} tests the sandbox).
   */
  private static final RunOptions UNSANDBOXED =
      RunOptions.builder().sandbox(SandboxMode.OFF).build();

  @Test
  void timeLimit_killsTheRecipeAndItsChildren() throws IOException {
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: slow
        outputs:
          - id: slow
            type: data
            recipe:
              command: "sh -c 'echo $$ > child.pid; exec sleep 60' & echo $! > bg.pid; wait"
              resources: {time_limit: 1s}
        """,
        "universes/u.yaml",
        "{}\n");
    ExecutionReport r =
        Project.load(dir)
            .plan(PlanOptions.defaults(), UNSANDBOXED)
            .execute(LocalSubstrate.create());
    assertThat(r.results())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
              assertThat(t.detail()).contains("time limit 1s exceeded");
              assertThat(t.duration().toSeconds()).isLessThan(20);
            });
    assertNoProcess(Long.parseLong(TestProjects.read(dir.resolve("child.pid")).strip()));
    assertThat(dir.resolve("results/u/slow")).doesNotExist();
  }

  private static void assertNoProcess(long pid) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(System.nanoTime()).as("process %d still alive", pid).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void substitutedPaths_areQuoted_neverExecuted() throws IOException {
    String evil = "data/my file $(touch pwned); 'q' `id`.csv";
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: quoting
        inputs:
          - id: evil
            type: data
            source: "%s"
        outputs:
          - id: copy
            type: data
            inputs: [evil]
            recipe: {command: "cp {inputs.evil} {output}/copy; printf '%%s' {inputs} > {output}/arg"}
        """
            .formatted(evil.replace("\"", "\\\"")),
        evil,
        "payload\n",
        "universes/u.yaml",
        "{}\n");
    Plan plan = Project.load(dir).plan();
    assertThat(plan.tasks().get(0).task().command())
        .contains("'data/my file $(touch pwned); '\"'\"'q'\"'\"' `id`.csv'");
    plan.execute(LocalSubstrate.create()).throwIfFailed();
    assertThat(TestProjects.read(dir.resolve("results/u/copy/copy"))).isEqualTo("payload\n");
    assertThat(TestProjects.read(dir.resolve("results/u/copy/arg"))).isEqualTo(evil);
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void statusVerifyAndPlan_followEdits_tamperingAndDrift() throws IOException {
    Project p = diamond("universes/u1.yaml", "decisions: {method: a}\n");
    p.plan().execute(LocalSubstrate.create()).throwIfFailed();
    // A decision flips: exactly the outputs that declare it (and their dependents) run again.
    TestProjects.write(dir, "universes/u1.yaml", "decisions: {method: b}\n");
    Project edited = Project.load(dir);
    Map<String, PlannedTask> plan =
        edited.plan().tasks().stream()
            .collect(Collectors.toMap(t -> t.task().id().toString(), Function.identity()));
    assertThat(plan.get("u1/clean").action()).isEqualTo(PlannedTask.Action.SKIP);
    assertThat(plan.get("u1/left").reasons())
        .containsExactly("code changed: decisions (method: a → b)");
    assertThat(plan.get("u1/join").reasons()).containsExactly("upstream stale: left");
    assertThat(plan.get("u1/right").action()).isEqualTo(PlannedTask.Action.SKIP);
    assertThat(plan.get("u1/only_b").reasons()).containsExactly("missing");
    TestProjects.write(dir, "universes/u1.yaml", "decisions: {method: a}\n");
    Project back = Project.load(dir);
    assertThat(back.plan().toRun()).isEmpty();

    // Tampering with data, deleting or corrupting a manifest, and upstream drift.
    Files.writeString(dir.resolve("results/u1/right/r"), "R\n");
    Files.delete(dir.resolve("results/u1/clean/.lightcone-manifest.json"));
    Files.writeString(dir.resolve("results/u1/leaf/.lightcone-manifest.json"), "{}");
    Map<String, VerifyResult> v =
        back.verify().results().stream()
            .collect(Collectors.toMap(VerifyResult::qualifiedId, Function.identity()));
    assertThat(v.get("right").failure()).contains(VerifyResult.Failure.TAMPERED_DATA);
    assertThat(v.get("right").detail()).contains("manifest sha256:").contains(", data sha256:");
    assertThat(v.get("clean").failure()).contains(VerifyResult.Failure.MISSING_MANIFEST);
    assertThat(v.get("left").failure()).contains(VerifyResult.Failure.BROKEN_CHAIN);
    assertThat(v.get("left").detail()).contains("upstream 'clean' has no manifest");
    assertThat(v.get("join").failure()).isEmpty();
    assertThat(v.get("sub.leaf").failure()).contains(VerifyResult.Failure.INVALID_MANIFEST);
    assertThat(v.get("sub.leaf").detail()).contains("'schema_version' is missing");
    assertThat(back.verify().failures()).isEqualTo(4);
  }

  @Test
  void secondExecution_isRefusedByTheRunLock() throws Exception {
    TestProjects.write(
        dir,
        "astra.yaml",
        "id: lock\noutputs:\n  - id: o\n    type: data\n    recipe: {command: \"touch started;"
            + " while [ ! -f go ]; do sleep 0.05; done; echo > {output}/v\"}\n",
        "universes/u.yaml",
        "{}\n");
    Plan plan = Project.load(dir).plan(PlanOptions.defaults(), UNSANDBOXED);
    var first = plan.start(LocalSubstrate.create(), ExecutionListener.NONE);
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(dir.resolve("started"))) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.onSpinWait();
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> plan.execute(LocalSubstrate.create()))
          .isInstanceOf(LightconeException.class)
          .hasMessageContaining(".lightcone/lock")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    } finally {
      Files.writeString(dir.resolve("go"), "");
      first.await();
    }
  }

  @Test
  void targetsAndForce_selectWhatRuns() {
    Project p = diamond("universes/u1.yaml", "decisions: {method: a}\n");
    Plan only = p.plan(PlanOptions.builder().addTargets("left").build());
    assertThat(only.tasks())
        .extracting(t -> t.task().id().toString())
        .containsExactly("u1/clean", "u1/left");
    only.execute(LocalSubstrate.create()).throwIfFailed();
    Plan forced = p.plan(PlanOptions.builder().addTargets("left").force(true).build());
    assertThat(forced.tasks())
        .extracting(PlannedTask::action)
        .containsExactly(PlannedTask.Action.SKIP, PlannedTask.Action.RUN);
    assertThat(forced.tasks().get(1).reasons()).containsExactly("forced");
    List<PlannedTask> all = p.plan(PlanOptions.builder().forceAll(true).build()).toRun();
    assertThat(all).hasSize(5);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> p.plan(PlanOptions.builder().addTargets("leaf_x").build()))
        .hasMessageContaining("no output 'leaf_x'");
  }

  @Test
  void multiverse_enumeratesValidCombinations_withStableIds() {
    Project p = diamond();
    Plan plan = p.plan(PlanOptions.builder().multiverse(true).build());
    assertThat(plan.universes()).hasSize(2);
    assertThat(plan.universes())
        .allSatisfy(u -> assertThat(u.id().value()).matches("mv-[0-9a-f]{10}"));
    assertThat(p.plan(PlanOptions.builder().multiverse(true).build()).universes())
        .isEqualTo(plan.universes());
    assertThat(plan.tasks()).hasSize(11);
  }
}
