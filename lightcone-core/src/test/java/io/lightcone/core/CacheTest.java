package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.internal.cache.CacheStore;
import io.lightcone.core.internal.hash.DataVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-addressed cache: never compute the same thing twice, never trust a bad blob. */
class CacheTest {
  @TempDir Path dir;

  /**
   * The recipes count their runs in files of the project root: the sandbox, on by default, refuses
   * writes outside the output, so they run without it ({@code SandboxTest} tests the sandbox).
   */
  private static final RunOptions UNSANDBOXED =
      RunOptions.builder().sandbox(SandboxMode.OFF).build();

  private static final String ASTRA =
      """
      id: cached
      decisions:
        method:
          label: Method
          options: {a: {label: A}, b: {label: B}}
      outputs:
        - id: shared
          type: table
          recipe:
            command: "echo run >> runs-shared.log; printf 'x,y\\\\n1,2\\\\n' > {output}/t.csv; head -c 300000 /dev/zero | tr '\\\\0' 'q' > {output}/big.txt"
        - id: per_method
          type: data
          inputs: [shared]
          decisions: [method]
          recipe:
            command: "echo run >> runs-method.log; echo {decisions.method} > {output}/m; cp {inputs.shared}/t.csv {output}/"
        - id: downstream
          type: data
          inputs: [per_method]
          recipe:
            command: "echo run >> runs-down.log; cat {inputs.per_method}/m > {output}/d"
      """;

  private long runs(String name) throws IOException {
    Path log = dir.resolve("runs-" + name + ".log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  private static Map<String, TaskResult> byTask(ExecutionReport r) {
    return r.results().stream()
        .collect(Collectors.toMap(t -> t.task().toString(), Function.identity()));
  }

  @Test
  void universesSharingAnUpstream_runItOnce() throws IOException {
    TestProjects.write(
        dir,
        "astra.yaml",
        ASTRA,
        "universes/ua.yaml",
        "decisions: {method: a}\n",
        "universes/ub.yaml",
        "decisions: {method: b}\n");
    ExecutionReport r =
        Project.load(dir)
            .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
            .execute(LocalSubstrate.create().jobs(2));
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    assertThat(runs("shared")).isEqualTo(1);
    Map<String, TaskResult> t = byTask(r);
    assertThat(List.of(t.get("ua/shared").outcome(), t.get("ub/shared").outcome()))
        .containsExactlyInAnyOrder(Outcome.SUCCEEDED, Outcome.RESTORED);
    assertThat(runs("method")).isEqualTo(2);
    assertThat(
            TestProjects.read(dir.resolve("results/ub/shared/.lightcone-manifest.json"))
                + TestProjects.read(dir.resolve("results/ua/shared/.lightcone-manifest.json")))
        .contains("\"restored_from_cache\": true");
    assertThat(Project.load(dir).verify().passed()).isTrue();
  }

  @Test
  void switchingADecisionBack_restoresWithoutRunningAnyRecipe() throws IOException {
    TestProjects.write(dir, "astra.yaml", ASTRA, "universes/u.yaml", "decisions: {method: a}\n");
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    TestProjects.write(dir, "universes/u.yaml", "decisions: {method: b}\n");
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    long before = runs("shared") + runs("method") + runs("down");
    TestProjects.write(dir, "universes/u.yaml", "decisions: {method: a}\n");
    Plan plan = Project.load(dir).plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED);
    assertThat(plan.task("u/per_method").action()).isEqualTo(PlannedTask.Action.RESTORE);
    assertThat(plan.task("u/per_method").reasons()).contains("cached");
    ExecutionReport r = plan.execute(LocalSubstrate.create());
    r.throwIfFailed();
    assertThat(runs("shared") + runs("method") + runs("down")).isEqualTo(before);
    assertThat(byTask(r).get("u/per_method").outcome()).isEqualTo(Outcome.RESTORED);
    assertThat(byTask(r).get("u/downstream").outcome()).isEqualTo(Outcome.RESTORED);
    assertThat(TestProjects.read(dir.resolve("results/u/downstream/d"))).isEqualTo("a\n");
    assertThat(Project.load(dir).verify().passed()).isTrue();
  }

  @Test
  void cacheVerify_blobThatIsADirectory_isCorrupt() throws IOException {
    TestProjects.write(dir, "astra.yaml", ASTRA, "universes/u.yaml", "decisions: {method: a}\n");
    Project.load(dir).plan().execute(LocalSubstrate.create()).throwIfFailed();
    Path blob;
    try (Stream<Path> s = Files.walk(dir.resolve(".lightcone/cache/blobs"))) {
      blob = s.filter(p -> p.toString().endsWith(".zst")).findFirst().orElseThrow();
    }
    Files.delete(blob);
    Files.createDirectories(blob.resolve("inside"));
    assertThat(Project.load(dir).cache().verify())
        .containsExactly(blob.getFileName().toString().replace(".zst", ""));
  }

  @Test
  void aFlippedByteInABlob_isDetected_andTheTaskRunsAgain() throws IOException {
    TestProjects.write(dir, "astra.yaml", ASTRA, "universes/u.yaml", "decisions: {method: a}\n");
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    List<Path> blobs;
    try (Stream<Path> s = Files.walk(dir.resolve(".lightcone/cache/blobs"))) {
      blobs = s.filter(p -> p.toString().endsWith(".zst")).toList();
    }
    // One blob with a flipped byte in its compressed frame, the others replaced by valid zstd of
    // other bytes: damage the decompressor notices, and damage only the digest notices.
    byte[] flipped = Files.readAllBytes(blobs.get(0));
    flipped[flipped.length / 2] ^= 0x5a;
    Files.write(blobs.get(0), flipped);
    for (Path b : blobs.subList(1, blobs.size())) {
      Files.write(b, io.lightcone.core.internal.Compression.compress("tampered\n".getBytes(), 3));
    }
    assertThat(Project.load(dir).cache().verify()).hasSizeGreaterThanOrEqualTo(blobs.size() - 1);
    Publisher.deleteAll(dir.resolve("results"));
    List<String> warnings = new ArrayList<>();
    ExecutionReport r =
        Project.load(dir)
            .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
            .execute(
                LocalSubstrate.create(),
                new io.lightcone.event.ExecutionListener() {
                  @Override
                  public void taskWarning(io.lightcone.TaskId task, String warning) {
                    synchronized (warnings) {
                      warnings.add(warning);
                    }
                  }
                });
    assertThat(r.succeeded()).isTrue();
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("cached output is damaged"));
    assertThat(runs("shared")).isEqualTo(2);
    assertThat(Project.load(dir).verify().passed()).isTrue();
  }

  @Test
  void concurrentWriters_inTwoProcesses_leaveAConsistentStore() throws Exception {
    Path data = dir.resolve("data");
    TestProjects.write(data, "a.txt", "same content\n", "sub/b.bin", "x".repeat(100_000));
    Path cache = dir.resolve("cache");
    List<Process> writers = new ArrayList<>();
    for (String suffix : List.of("", "", "_other")) {
      writers.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CacheWriterMain.class.getName(),
                  cache.toString(),
                  data.toString(),
                  suffix,
                  "40")
              .inheritIO()
              .start());
    }
    for (Process p : writers) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    CacheStore store = new CacheStore(cache);
    ContentCache facade = new ContentCache(cache, Set.of());
    assertThat(facade.verify()).isEmpty();
    assertThat(facade.stats().entries()).isEqualTo(10);
    assertThat(facade.stats().blobs()).isEqualTo(2);
    String expected = DataVersion.of(data, 1);
    for (int i = 0; i < 5; i++) {
      for (String suffix : List.of("", "_other")) {
        String key = CacheStore.key("out_" + i + suffix, "sha256:code", Map.of("in", "v" + i));
        Path out = Files.createDirectories(dir.resolve("restored/" + i + suffix));
        store.materialize(store.lookup(key).orElseThrow(), out);
        assertThat(DataVersion.of(out, 1)).isEqualTo(expected);
      }
    }
    try (Stream<Path> s = Files.walk(cache)) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith(".tmp-"))).isEmpty();
    }
  }

  @Test
  void gc_removesLeastRecentlyUsed_keepsReferenced_andSharedBlobs() throws IOException {
    TestProjects.write(dir, "astra.yaml", ASTRA, "universes/u.yaml", "decisions: {method: a}\n");
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    TestProjects.write(dir, "universes/u.yaml", "decisions: {method: b}\n");
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    Project p = Project.load(dir);
    ContentCache.Stats before = p.cache().stats();
    assertThat(before.entries()).isEqualTo(5); // shared once, per_method and downstream twice
    assertThat(before.logicalBytes()).isGreaterThan(before.storedBytes()); // 300 kB of 'q' shrink

    ContentCache.Collected kept = p.cache().gc(0, true);
    // Everything the current outputs (method b) were made from stays: shared, per_method/b,
    // downstream/b; the two entries of method a go.
    assertThat(kept.entries()).isEqualTo(2);
    assertThat(p.cache().stats().entries()).isEqualTo(3);
    assertThat(p.cache().verify()).isEmpty();
    TestProjects.write(dir, "universes/u.yaml", "decisions: {method: b}\n");
    Publisher.deleteAll(dir.resolve("results"));
    ExecutionReport again =
        Project.load(dir)
            .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
            .execute(LocalSubstrate.create());
    assertThat(again.results())
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.RESTORED));

    ContentCache.Collected all = p.cache().gc(0, false);
    assertThat(p.cache().stats().entries()).isZero();
    assertThat(p.cache().stats().blobs()).isZero();
    assertThat(all.bytes()).isPositive();
  }

  @Test
  void forcedTasks_runTheirRecipe_evenWhenTheCacheHoldsTheOutput() throws IOException {
    TestProjects.write(dir, "astra.yaml", ASTRA, "universes/u.yaml", "decisions: {method: a}\n");
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), UNSANDBOXED)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    CacheTest.Publisher.deleteAll(dir.resolve("results"));
    ExecutionReport r =
        Project.load(dir)
            .plan(
                io.lightcone.PlanOptions.builder().addTargets("per_method").force(true).build(),
                UNSANDBOXED)
            .execute(LocalSubstrate.create());
    r.throwIfFailed();
    assertThat(byTask(r).get("u/shared").outcome()).isEqualTo(Outcome.RESTORED);
    assertThat(byTask(r).get("u/per_method").outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(runs("method")).isEqualTo(2);
    assertThat(runs("shared")).isEqualTo(1);
  }

  @Test
  void noCache_runsEverything_andStoresNothing() throws IOException {
    TestProjects.write(dir, "astra.yaml", ASTRA, "universes/u.yaml", "decisions: {method: a}\n");
    RunOptions off = RunOptions.builder().from(UNSANDBOXED).cache(false).build();
    Project.load(dir)
        .plan(io.lightcone.PlanOptions.defaults(), off)
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    assertThat(dir.resolve(".lightcone/cache")).doesNotExist();
  }

  /** Deletes a tree (test helper). */
  static final class Publisher {
    static void deleteAll(Path root) throws IOException {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
