package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A one-task project run once with its cache in {@code cache}. */
  private Path ranWithCache(Path cache) {
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("p"), "mkdir -p {output} && seq 1 20000 > {output}/n.csv");
    Lc.Result run = Lc.run("run", "-C", project.toString(), "--cache", cache.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return project;
  }

  @Test
  void stats_json_countsTheStoredOutput_inTheGivenCache() throws Exception {
    Path cache = dir.resolve("shared-cache");
    Path project = ranWithCache(cache);

    Lc.Result result =
        Lc.run("cache", "stats", "--json", "-C", project.toString(), "--cache", cache.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode stats = JSON.readTree(result.out());
    assertThat(stats.fieldNames())
        .toIterable()
        .containsExactly(
            "directory",
            "entries",
            "blobs",
            "stored_bytes",
            "logical_bytes",
            "hits",
            "lookups",
            "hardlinked_bytes",
            "reflinked_bytes");
    assertThat(stats.get("entries").asLong()).isEqualTo(1);
    assertThat(stats.get("blobs").asLong()).isEqualTo(1);
    assertThat(stats.get("stored_bytes").asLong())
        .isPositive()
        .isLessThan(stats.get("logical_bytes").asLong());
    assertThat(Files.exists(project.resolve(".lightcone/cache"))).isFalse();
  }

  @Test
  void run_linkHardlink_restoresReadOnlyLinks_andStatsCountThem() throws Exception {
    Path cache = dir.resolve("c");
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("p"), "mkdir -p {output} && seq 1 20000 > {output}/n.csv");
    Lc.Result first =
        Lc.run("run", "-C", project.toString(), "--cache", cache.toString(), "--link", "hardlink");
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    deleteTree(project.resolve("results"));

    Lc.Result again =
        Lc.run("run", "-C", project.toString(), "--cache", cache.toString(), "--link", "hardlink");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();

    JsonNode stats =
        JSON.readTree(
            Lc.run(
                    "cache",
                    "stats",
                    "--json",
                    "-C",
                    project.toString(),
                    "--cache",
                    cache.toString())
                .out());
    assertThat(stats.get("hardlinked_bytes").asLong()).isPositive();
    assertThat(Lc.run("verify", "-C", project.toString()).exitCode()).isZero();
  }

  @Test
  void run_unknownLinkType_isOneLineNamingIt() {
    Path project = TestProjects.oneTaskProject(dir.resolve("p"), "echo x > {output}/x");

    Lc.Result result = Lc.run("run", "-C", project.toString(), "--link", "symlink");

    assertThat(result.exitCode()).isNotZero().isNotEqualTo(70);
    assertThat(result.err().strip())
        .contains("'symlink'")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void stats_plain_namesTheDirectory() {
    Path cache = dir.resolve("c");
    Path project = ranWithCache(cache);

    Lc.Result result =
        Lc.run("cache", "stats", "-C", project.toString(), "--cache", cache.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("cache " + cache + ": 1 entries, 1 blobs");
  }

  @Test
  void gc_maxSizeZero_removesEverything_butKeepReferencedKeepsCurrentOutputs() {
    Path cache = dir.resolve("c");
    Path project = ranWithCache(cache);
    String p = project.toString();

    Lc.Result kept =
        Lc.run(
            "cache", "gc", "--max-size", "0", "--keep-referenced", "-C", p, "--cache", "" + cache);
    assertThat(kept.exitCode()).as(kept.err()).isZero();
    assertThat(kept.out()).contains("removed 0 entries and 0 blobs");

    Lc.Result gone = Lc.run("cache", "gc", "--max-size", "0B", "-C", p, "--cache", "" + cache);
    assertThat(gone.exitCode()).as(gone.err()).isZero();
    assertThat(gone.out()).contains("removed 1 entries and 1 blobs").contains("now: 0 entries");
  }

  @Test
  void gc_badSize_isAUsageError() {
    Path project = ranWithCache(dir.resolve("c"));

    Lc.Result result = Lc.run("cache", "gc", "--max-size", "ten gigs", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--max-size 'ten gigs' is not a size");
  }

  @Test
  void verify_flippedByteInABlob_namesIt_exits1() throws Exception {
    Path cache = dir.resolve("c");
    Path project = ranWithCache(cache);
    Lc.Result sound = Lc.run("cache", "verify", "-C", "" + project, "--cache", "" + cache);
    assertThat(sound.exitCode()).isZero();
    assertThat(sound.out()).contains("every blob is sound");

    List<Path> blobs;
    try (Stream<Path> walk = Files.walk(cache.resolve("blobs"))) {
      blobs = walk.filter(f -> f.toString().endsWith(".zst")).toList();
    }
    assertThat(blobs).hasSize(1);
    byte[] bytes = Files.readAllBytes(blobs.get(0));
    bytes[bytes.length / 2] ^= 1;
    Files.write(blobs.get(0), bytes);

    Lc.Result damaged = Lc.run("cache", "verify", "-C", "" + project, "--cache", "" + cache);

    String digest = blobs.get(0).getFileName().toString().replace(".zst", "");
    assertThat(damaged.exitCode()).isEqualTo(1);
    assertThat(damaged.out()).contains("damaged blob: ").contains(digest).contains("1 damaged");
  }

  @Test
  void plan_withCacheDir_seesTheEntryAsRestorable() throws Exception {
    Path cache = dir.resolve("c");
    Path project = ranWithCache(cache);
    deleteTree(project.resolve("results"));

    Lc.Result withCache = Lc.run("plan", "--json", "-C", "" + project, "--cache", "" + cache);
    Lc.Result elsewhere =
        Lc.run("plan", "--json", "-C", "" + project, "--cache", "" + dir.resolve("empty"));

    assertThat(JSON.readTree(withCache.out()).at("/tasks/0/action").asText()).isEqualTo("restore");
    assertThat(JSON.readTree(elsewhere.out()).at("/tasks/0/action").asText()).isEqualTo("run");
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
