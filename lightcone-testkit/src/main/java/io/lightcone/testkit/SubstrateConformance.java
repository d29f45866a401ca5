package io.lightcone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.OutputStatus;
import io.lightcone.Plan;
import io.lightcone.PlanOptions;
import io.lightcone.PlannedTask;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import io.lightcone.core.SandboxMode;
import io.lightcone.event.ExecutionListener;
import io.lightcone.spi.Substrate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every substrate must do (DESIGN §5 and the {@link Substrate} contract), checked on real
 * {@code /bin/sh} recipes: the same manifests as {@link LocalSubstrate}, a failure skips only its
 * dependents, keep-going, retries, a failed task keeps its previous output, an edited recipe
 * re-runs exactly what it affects, and cancellation leaves no process and no half output. Every
 * execution also checks the listener contract (each start paired with one finish) and the report's
 * shape (one result per planned task, in plan order). A substrate's test extends it:
 *
 * <pre>{@code
 * class MySubstrateConformanceIT extends SubstrateConformance {
 *   protected Substrate substrate(Settings s) { return My.create().jobs(s.jobs()); }
 * }
 * }</pre>
 */
// A hang guard, not a speed check: a substrate that never returns fails its test instead of
// holding CI until its limit.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public abstract class SubstrateConformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Manifest fields that may differ between substrates and runs: where and when it ran (a task run
   * as a SLURM job records its job id).
   */
  private static final List<String> VARYING =
      List.of("host", "finished_at", "started_at", "substrate", "slurm_job_id");

  /**
   * For recipes that leave marks in the project root for the test to read (pids, counters, times):
   * the sandbox, on by default, refuses writes outside the output, so they run without it ({@code
   * SandboxTest} tests the sandbox).
   */
  protected static final RunOptions UNSANDBOXED =
      RunOptions.builder().sandbox(SandboxMode.OFF).build();

  /** How long a test waits for a recipe to show up; substrates may start slowly. */
  private static final long START_DEADLINE_NANOS = 120_000_000_000L;

  /**
   * What a test asks of the substrate.
   *
   * @param jobs at most this many tasks at once
   * @param keepGoing after a failure, run every task that does not depend on it
   * @param retries run a failed task again up to this many times
   */
  protected record Settings(int jobs, boolean keepGoing, int retries) {
    static Settings defaults() {
      return new Settings(2, false, 0);
    }
  }

  /** The substrate under test, configured as {@code settings} say. */
  protected abstract Substrate substrate(Settings settings);

  @TempDir protected Path dir;

  // -- projects ---------------------------------------------------------------------------------

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
          recipe: {command: "tr a-z A-Z < {inputs.raw} > {output}/c"}
        - id: left
          type: data
          inputs: [clean]
          decisions: [method]
          recipe:
            command: "cat {inputs.clean}/c > {output}/l; echo {decisions.method} >> {output}/l"
            resources: {cpus: 2, memory: 64Mi, time_limit: 10m}
        - id: right
          type: metric
          inputs: [clean]
          recipe: {command: "echo '{{\\"n\\": 1}}' > {output}/m.json"}
        - id: join
          type: data
          inputs: [left, right]
          recipe: {command: "cat {inputs.left}/l {inputs.right}/m.json > {output}/j"}
        - id: only_b
          type: data
          when: [method.b]
          inputs: [sub.leaf]
          recipe: {command: "cat {inputs.sub.leaf}/v > {output}/v"}
      analyses:
        sub:
          inputs:
            - id: cleaned
              from: ../raw
          outputs:
            - id: leaf
              type: data
              inputs: [cleaned]
              recipe: {command: "cp {inputs.cleaned} {output}/v"}
      """;

  private Project diamond(Path at) {
    TestProjects.write(
        at,
        "astra.yaml",
        DIAMOND,
        "data/raw.txt",
        "raw\n",
        "universes/u1.yaml",
        "decisions: {method: a}\n",
        "universes/u2.yaml",
        "decisions: {method: b}\n");
    try {
      // External inputs are versioned by mtime and size: the same in every copy of the project.
      Files.setLastModifiedTime(
          at.resolve("data/raw.txt"), FileTime.fromMillis(1_700_000_000_000L));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Project.load(at);
  }

  private Project project(String astra) {
    TestProjects.write(dir, "astra.yaml", astra, "universes/u.yaml", "{}\n");
    return Project.load(dir);
  }

  // -- the cases --------------------------------------------------------------------------------

  @Test
  void sameProject_givesTheSameManifests_asTheLocalSubstrate() throws IOException {
    Path reference = dir.resolve("reference");
    Path tested = dir.resolve("tested");
    // Without the cache: whether a task runs or is restored from a twin in another universe
    // depends on timing, and a restored output's manifest says so.
    RunOptions noCache = RunOptions.builder().cache(false).build();
    ExecutionReport local =
        diamond(reference).plan(PlanOptions.defaults(), noCache).execute(LocalSubstrate.create());
    assertThat(local.succeeded()).as(local.toString()).isTrue();

    Project p = diamond(tested);
    ExecutionReport report = execute(p.plan(PlanOptions.defaults(), noCache), Settings.defaults());
    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(report.results()).hasSize(11).allMatch(r -> r.outcome() == Outcome.SUCCEEDED);
    assertThat(report.substrate()).isEqualTo(substrate(Settings.defaults()).name());

    Map<String, Map<String, Object>> expected = manifests(reference);
    Map<String, Map<String, Object>> actual = manifests(tested);
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(11);
    for (String output : expected.keySet()) {
      Map<String, Object> m = actual.get(output);
      assertThat(m.get("substrate")).as(output).isEqualTo(report.substrate());
      VARYING.forEach(m::remove);
      VARYING.forEach(expected.get(output)::remove);
      assertThat(m).as(output).isEqualTo(expected.get(output));
    }
    assertThat(p.verify().passed()).isTrue();
    assertThat(Project.load(tested).plan().toRun()).isEmpty();
  }

  /** Every manifest under {@code root}, by path, parsed. */
  private static Map<String, Map<String, Object>> manifests(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      Map<String, Map<String, Object>> out = new TreeMap<>();
      for (Path f :
          s.filter(f -> f.getFileName().toString().equals(".lightcone-manifest.json")).toList()) {
        out.put(
            root.relativize(f).toString(),
            JSON.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {}));
      }
      return out;
    }
  }

  private static final String FAILING =
      """
      id: failing
      outputs:
        - id: bad
          type: data
          recipe: {command: "echo boom; exit 3"}
        - id: after_bad
          type: data
          inputs: [bad]
          recipe: {command: "echo x > {output}/x"}
        - id: independent
          type: data
          recipe: {command: "echo y > {output}/y"}
      """;

  @Test
  void failingTask_skipsOnlyItsDependents_withKeepGoing() {
    Project p = project(FAILING);
    Map<String, TaskResult> r = byTask(execute(p.plan(), new Settings(1, true, 0)));
    assertThat(r.get("u/bad").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.get("u/bad").exitCode()).isEqualTo(OptionalInt.of(3));
    assertThat(r.get("u/bad").detail())
        .contains("exit code 3")
        .contains(".lightcone/logs/u/bad.log");
    assertThat(r.get("u/bad").log()).contains(".lightcone/logs/u/bad.log");
    assertThat(r.get("u/after_bad").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(r.get("u/after_bad").detail()).contains("u/bad failed");
    assertThat(r.get("u/independent").outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(TestProjects.read(dir.resolve(".lightcone/logs/u/bad.log"))).contains("boom");
    assertThat(dir.resolve("results/u/bad")).doesNotExist();
    assertThat(dir.resolve("results/u/after_bad")).doesNotExist();
    assertThat(Project.load(dir).status().outputs())
        .filteredOn(o -> o.outputId().equals("bad"))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.state()).isEqualTo(OutputStatus.State.FAILED);
              assertThat(o.reasons().get(0)).contains("exit code 3");
            });
  }

  @Test
  void failingTask_withoutKeepGoing_skipsItsDependents_andTheRunFails() {
    Project p = project(FAILING);
    ExecutionReport stop = execute(p.plan(), new Settings(1, false, 0));
    Map<String, TaskResult> s = byTask(stop);
    assertThat(s.get("u/bad").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(s.get("u/bad").detail())
        .contains("exit code 3")
        .contains(".lightcone/logs/u/bad.log");
    assertThat(s.get("u/after_bad").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(s.get("u/after_bad").detail()).contains("u/bad failed");
    assertThat(s.get("u/independent").outcome()).isIn(Outcome.SKIPPED, Outcome.SUCCEEDED);
    assertThat(stop.succeeded()).isFalse();

    // Then with keep-going: the failure stays, and what the stop left undone runs.
    Map<String, TaskResult> g = byTask(execute(p.plan(), new Settings(1, true, 0)));
    assertThat(g.get("u/bad").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(g.get("u/after_bad").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(g.get("u/independent").outcome()).isIn(Outcome.SUCCEEDED, Outcome.UP_TO_DATE);
  }

  @Test
  void failingTask_withoutKeepGoing_startsNothingNewAfterTheFailure() {
    StringBuilder astra = new StringBuilder("id: stop\noutputs:\n");
    astra.append(
        "  - id: bad\n    type: data\n    recipe: {command: \"date +%s%N > bad.end; exit 1\"}\n");
    for (String name : List.of("one", "two", "three", "four")) {
      astra.append(
          "  - id: %s\n    type: data\n    recipe: {command: \"date +%%s%%N > %s.start; echo > {output}/v\"}\n"
              .formatted(name, name));
    }
    Project p = project(astra.toString());
    Map<String, TaskResult> r =
        byTask(execute(p.plan(PlanOptions.defaults(), UNSANDBOXED), new Settings(1, false, 0)));
    assertThat(r.get("u/bad").outcome()).isEqualTo(Outcome.FAILED);
    long failedAt = Long.parseLong(TestProjects.read(dir.resolve("bad.end")).strip());
    for (String name : List.of("one", "two", "three", "four")) {
      TaskResult t = r.get("u/" + name);
      assertThat(t.outcome()).as(name).isIn(Outcome.SUCCEEDED, Outcome.SKIPPED);
      if (t.outcome() == Outcome.SUCCEEDED) {
        long started = Long.parseLong(TestProjects.read(dir.resolve(name + ".start")).strip());
        assertThat(started).as(name + " started after the failure").isLessThan(failedAt);
      } else {
        assertThat(dir.resolve(name + ".start")).as(name).doesNotExist();
        assertThat(dir.resolve("results/u/" + name)).doesNotExist();
      }
    }
  }

  @Test
  void retries_runAFlakyTaskAgain() {
    Project p =
        project(
            """
            id: flaky
            outputs:
              - id: flaky
                type: data
                recipe:
                  command: "if [ -f tried ]; then echo ok > {output}/v; else touch tried; exit 1; fi"
            """);
    ExecutionReport report =
        execute(p.plan(PlanOptions.defaults(), UNSANDBOXED), new Settings(1, false, 1));
    assertThat(report.results())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.outcome()).isEqualTo(Outcome.SUCCEEDED);
              assertThat(t.attempts()).isEqualTo(2);
            });
    assertThat(TestProjects.read(dir.resolve("results/u/flaky/v"))).isEqualTo("ok\n");
    assertThat(dir.resolve(".lightcone/failures/u/flaky.json")).doesNotExist();
  }

  @Test
  void failedTask_keepsItsPreviousOutputByteIdentical() throws IOException {
    String astra =
        """
        id: keep
        outputs:
          - id: o
            type: data
            recipe: {command: "%s"}
        """;
    Project first = project(astra.formatted("echo good > {output}/v"));
    assertThat(execute(first.plan(), Settings.defaults()).succeeded()).isTrue();
    Path out = dir.resolve("results/u/o");
    byte[] data = Files.readAllBytes(out.resolve("v"));
    byte[] manifest = Files.readAllBytes(out.resolve(".lightcone-manifest.json"));

    Project broken = project(astra.formatted("echo partial > {output}/v; exit 1"));
    ExecutionReport r = execute(broken.plan(), Settings.defaults());
    assertThat(r.results())
        .singleElement()
        .extracting(TaskResult::outcome)
        .isEqualTo(Outcome.FAILED);
    assertThat(r.succeeded()).isFalse();
    assertThat(Files.readAllBytes(out.resolve("v"))).isEqualTo(data);
    assertThat(Files.readAllBytes(out.resolve(".lightcone-manifest.json"))).isEqualTo(manifest);
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertThat(s.map(x -> x.getFileName().toString())).containsExactly("o");
    }
  }

  @Test
  void recipeEdit_rerunsExactlyTheAffectedTasks() throws IOException {
    Project p = diamond(dir);
    assertThat(execute(p.plan(), Settings.defaults()).succeeded()).isTrue();
    Map<String, byte[]> before = manifestBytes(dir);

    Files.writeString(dir.resolve("astra.yaml"), DIAMOND.replace("1}}", "2}}"));
    Plan plan = Project.load(dir).plan();
    assertThat(plan.toRun())
        .extracting(t -> t.task().id().toString())
        .containsExactlyInAnyOrder("u1/right", "u1/join", "u2/right", "u2/join");
    ExecutionReport report = execute(plan, Settings.defaults());
    Map<String, TaskResult> r = byTask(report);
    for (TaskResult t : report.results()) {
      boolean affected = t.task().output().toString().matches("right|join");
      // A twin in another universe may be restored from the cache instead of run.
      assertThat(t.outcome())
          .as(t.task().toString())
          .isIn(
              affected
                  ? List.of(Outcome.SUCCEEDED, Outcome.RESTORED)
                  : List.of(Outcome.UP_TO_DATE));
    }
    Map<String, byte[]> after = manifestBytes(dir);
    for (String f : before.keySet()) {
      boolean affected = f.contains("/right/") || f.contains("/join/");
      if (affected) {
        assertThat(after.get(f)).as(f).isNotEqualTo(before.get(f));
      } else {
        assertThat(after.get(f)).as(f + " was rewritten").isEqualTo(before.get(f));
      }
    }
    assertThat(r).hasSize(11);
    assertThat(Project.load(dir).plan().toRun()).isEmpty();
  }

  private static Map<String, byte[]> manifestBytes(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve("results"))) {
      Map<String, byte[]> out = new TreeMap<>();
      for (Path f :
          s.filter(f -> f.getFileName().toString().equals(".lightcone-manifest.json")).toList()) {
        out.put(root.relativize(f).toString(), Files.readAllBytes(f));
      }
      return out;
    }
  }

  @Test
  void cancel_leavesNoProcessBehind_andNoHalfOutput() throws Exception {
    Project p =
        project(
            """
            id: cancel
            outputs:
              - id: long
                type: data
                recipe:
                  command: "echo $$ > started.pid; sleep 60 & echo $! > child.pid; wait"
              - id: later
                type: data
                inputs: [long]
                recipe: {command: "echo x > {output}/x"}
            """);
    Recorder events = new Recorder();
    Execution execution =
        p.plan(PlanOptions.defaults(), UNSANDBOXED).start(substrate(Settings.defaults()), events);
    Path child = dir.resolve("child.pid");
    long deadline = System.nanoTime() + START_DEADLINE_NANOS;
    while (!(Files.exists(child) && !TestProjects.read(child).isBlank())) {
      assertThat(System.nanoTime()).as("the recipe did not start").isLessThan(deadline);
      Thread.onSpinWait();
    }
    execution.cancel();
    ExecutionReport report = execution.await();
    events.check(p.plan().tasks(), report);
    Map<String, TaskResult> r = byTask(report);
    assertThat(r.get("u/long").outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(r.get("u/later").outcome()).isEqualTo(Outcome.CANCELLED);
    assertGone(Long.parseLong(TestProjects.read(child).strip()));
    assertGone(Long.parseLong(TestProjects.read(dir.resolve("started.pid")).strip()));
    // Nothing started on the execution's behalf outlives it (the substrate's own helpers too).
    long quiet = System.nanoTime() + 20_000_000_000L;
    while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive)) {
      assertThat(System.nanoTime())
          .as(
              "still running: %s",
              ProcessHandle.current()
                  .descendants()
                  .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                  .toList())
          .isLessThan(quiet);
      Thread.onSpinWait();
    }
    if (Files.exists(dir.resolve("results/u"))) {
      try (Stream<Path> s = Files.list(dir.resolve("results/u"))) {
        assertThat(s.toList()).as("half outputs or staging").isEmpty();
      }
    }
  }

  /** Waits until {@code pid} is gone from {@code /proc}. */
  private static void assertGone(long pid) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (Files.exists(Path.of("/proc", Long.toString(pid)))
        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(System.nanoTime()).as("process %d still alive", pid).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void freshPlan_runsNothing_andReportsEveryTaskUpToDate() {
    Project p = project(FAILING.replace("echo boom; exit 3", "echo fine > {output}/f"));
    assertThat(execute(p.plan(), Settings.defaults()).succeeded()).isTrue();
    ExecutionReport again = execute(Project.load(dir).plan(), Settings.defaults());
    assertThat(again.results())
        .hasSize(3)
        .allSatisfy(t -> assertThat(t.outcome()).isEqualTo(Outcome.UP_TO_DATE));
  }

  @Test
  void specEditedAfterPlanning_failsTheTask_withAClearMessage() {
    String astra =
        "id: edit\noutputs:\n  - id: o\n    type: data\n    recipe: {command: \"echo %s >"
            + " {output}/v\"}\n";
    Plan plan = project(astra.formatted("1")).plan();
    TestProjects.write(dir, "astra.yaml", astra.formatted("2"));
    ExecutionReport r = execute(plan, Settings.defaults());
    assertThat(r.results())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
              assertThat(t.detail()).contains("the spec changed since the plan was made");
            });
    assertThat(dir.resolve("results/u/o")).doesNotExist();
  }

  // -- helpers ----------------------------------------------------------------------------------

  /** Executes {@code plan} on the substrate under test and checks the contract's invariants. */
  protected ExecutionReport execute(Plan plan, Settings settings) {
    Recorder events = new Recorder();
    ExecutionReport report = plan.execute(substrate(settings), events);
    events.check(plan.tasks(), report);
    return report;
  }

  protected static Map<String, TaskResult> byTask(ExecutionReport r) {
    return r.results().stream()
        .collect(
            Collectors.toMap(
                t -> t.task().toString(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
  }

  /** Records listener events and checks the listener and report contracts. */
  private static final class Recorder implements ExecutionListener {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void taskStarted(TaskId task, int attempt) {
      events.add("start " + task + " " + attempt);
    }

    @Override
    public synchronized void taskFinished(TaskResult result) {
      events.add("finish " + result.task() + " " + result.outcome());
    }

    synchronized void check(List<PlannedTask> planned, ExecutionReport report) {
      assertThat(report.results())
          .extracting(TaskResult::task)
          .as("one result per planned task, in plan order")
          .containsExactlyElementsOf(planned.stream().map(t -> t.task().id()).toList());
      for (int i = 0; i < planned.size(); i++) {
        if (planned.get(i).action() == PlannedTask.Action.SKIP) {
          assertThat(report.results().get(i).outcome()).isEqualTo(Outcome.UP_TO_DATE);
        }
      }
      Map<String, Integer> open = new HashMap<>();
      Map<String, Integer> finished = new HashMap<>();
      for (String e : events) {
        String[] parts = e.split(" ");
        if (parts[0].equals("start")) {
          assertThat(open.merge(parts[1], 1, Integer::sum))
              .as("%s started again before it finished: %s", parts[1], events)
              .isEqualTo(1);
        } else {
          open.computeIfPresent(parts[1], (k, n) -> n - 1); // a task that did not run has no start
          finished.merge(parts[1], 1, Integer::sum);
        }
      }
      assertThat(open.values()).as("every start has one finish: %s", events).allMatch(n -> n == 0);
      for (TaskResult r : report.results()) {
        assertThat(finished.getOrDefault(r.task().toString(), 0))
            .as("%s finished on the listener: %s", r.task(), events)
            .isEqualTo(Math.max(1, r.attempts()));
      }
    }
  }
}
