package io.lightcone.core.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.hash.InputVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stat-keyed memo of external input versions. Files made by a test are seconds old, which the
 * memo rightly takes as racy; so most tests hash "an hour later", through a clock an hour ahead.
 */
class InputMemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path project;
  Path raw;

  /** An hour after the files were written: none of them is racily clean any more. */
  private final Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

  /** Hashes as the commands do, and counts how often: each call reads the input's content. */
  private final AtomicInteger hashes = new AtomicInteger();

  private final InputMemo.Hasher counting =
      (path, strict) -> {
        hashes.incrementAndGet();
        return InputVersion.external(path, strict, 1);
      };

  @BeforeEach
  void tree() throws IOException {
    Files.createDirectories(project.resolve(".lightcone"));
    raw = project.resolve("data/raw");
    write("a.csv", "1,2,3\n");
    write("sub/b.csv", "4,5,6\n");
    write("sub/deeper/c.bin", "xyz");
  }

  private void write(String rel, String content) throws IOException {
    Path f = raw.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private String version(Clock clock) throws IOException {
    return InputMemo.open(project, clock).version(raw, false, counting);
  }

  /** A new memo each time, as each command opens it: what carries over is in the file. */
  private String later() throws IOException {
    return version(later);
  }

  private Path memoFile() {
    return project.resolve(InputMemo.FILE);
  }

  @Test
  void unchangedDirectory_isHashedOnce_acrossCommands() throws IOException {
    String first = later();
    assertThat(first).isEqualTo(DataVersion.of(raw, 1));
    assertThat(hashes).hasValue(1);
    assertThat(later()).isEqualTo(first);
    assertThat(later()).isEqualTo(first);
    assertThat(hashes).as("no content read after the first command").hasValue(1);
    // Strict mode does not change a directory's version: the same entry serves.
    assertThat(InputMemo.open(project, later).version(raw, true, counting)).isEqualTo(first);
    assertThat(hashes).hasValue(1);
  }

  @Test
  void memoFile_isSortedJson_withOneEntryPerInput() throws IOException {
    later();
    JsonNode root = JSON.readTree(memoFile().toFile());
    assertThat(root.get("schema").asInt()).isEqualTo(1);
    JsonNode entry = root.get("entries").get("dir " + raw.toRealPath());
    assertThat(entry.get("version").asText()).isEqualTo(DataVersion.of(raw, 1));
    assertThat(entry.get("stamp").asText()).startsWith("sha256:");
    assertThat(entry.get("used").asLong()).isPositive();
    assertThat(Files.readString(memoFile())).endsWith("}\n");
  }

  @Test
  void anyChange_rehashes() throws IOException {
    List<Change> changes =
        List.of(
            new Change("size", () -> append("a.csv", "7\n")),
            new Change("mtime", () -> touch("sub/b.csv", Instant.parse("2001-01-01T00:00:00Z"))),
            new Change("added", () -> write("new.csv", "n")),
            new Change("added deep", () -> write("sub/deeper/more/d.csv", "d")),
            new Change("removed", () -> Files.delete(raw.resolve("sub/deeper/c.bin"))),
            new Change(
                "renamed", () -> Files.move(raw.resolve("new.csv"), raw.resolve("renamed.csv"))),
            new Change("same size, old mtime put back", () -> rewriteKeepingMtime("a.csv")),
            new Change("replaced by another file", () -> replaceKeepingSizeAndMtime("sub/b.csv")),
            new Change("emptied", () -> Files.writeString(raw.resolve("a.csv"), "")));
    String before = later();
    int expectedHashes = 1;
    for (Change c : changes) {
      c.action().run();
      String fresh = DataVersion.of(raw, 1);
      assertThat(later()).as(c.name()).isEqualTo(fresh);
      assertThat(hashes).as(c.name() + " rehashes").hasValue(++expectedHashes);
      assertThat(later()).as(c.name() + ", then unchanged").isEqualTo(fresh);
      assertThat(hashes).as(c.name() + ", then remembered").hasValue(expectedHashes);
      if (c.name().equals("mtime")) { // re-hashed, but content alone makes the version
        assertThat(fresh).isEqualTo(before);
      } else {
        assertThat(fresh).as(c.name() + " changes the version").isNotEqualTo(before);
      }
      before = fresh;
    }
  }

  private record Change(String name, IoAction action) {}

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private void append(String rel, String more) throws IOException {
    Files.writeString(raw.resolve(rel), Files.readString(raw.resolve(rel)) + more);
  }

  private void touch(String rel, Instant at) throws IOException {
    Files.setLastModifiedTime(raw.resolve(rel), FileTime.from(at));
  }

  /** Same size, same mtime, same inode: only ctime (which no user call can set) tells. */
  private void rewriteKeepingMtime(String rel) throws IOException {
    Path f = raw.resolve(rel);
    FileTime mtime = Files.getLastModifiedTime(f);
    String s = Files.readString(f);
    Files.writeString(f, (s.charAt(0) == 'Z' ? "Y" : "Z") + s.substring(1));
    Files.setLastModifiedTime(f, mtime);
  }

  /** Another file of the same size and mtime renamed over it: a new inode. */
  private void replaceKeepingSizeAndMtime(String rel) throws IOException {
    Path f = raw.resolve(rel);
    Path tmp = raw.resolveSibling("tmp");
    Files.writeString(tmp, Files.readString(f).replace('4', '8'));
    Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(f));
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aLyingEntry_isTrusted_whenItsStampMatches_butNoneRehashes() throws IOException {
    String truth = later();
    forge(raw, true, "sha256:" + "0".repeat(64));
    assertThat(later()).as("trust by stat").isEqualTo("sha256:" + "0".repeat(64));
    assertThat(InputMemo.none().version(raw, false, counting)).isEqualTo(truth);
  }

  /** Writes an entry with the current stamp of {@code path} and {@code version}. */
  private void forge(Path path, boolean dir, String version) throws IOException {
    Map<String, InputMemo.Entry> entries = InputMemo.read(memoFile());
    entries.put(
        InputMemo.key(path, dir),
        new InputMemo.Entry(
            InputMemo.stamp(path, dir).digest(), version, System.currentTimeMillis()));
    StringBuilder json = new StringBuilder("{\"schema\": 1, \"entries\": {");
    String sep = "";
    for (Map.Entry<String, InputMemo.Entry> e : entries.entrySet()) {
      json.append(sep)
          .append(JSON.writeValueAsString(e.getKey()))
          .append(": ")
          .append(
              JSON.writeValueAsString(
                  Map.of(
                      "stamp",
                      e.getValue().stamp(),
                      "version",
                      e.getValue().version(),
                      "used",
                      e.getValue().used())));
      sep = ", ";
    }
    Files.createDirectories(memoFile().getParent());
    Files.writeString(memoFile(), json.append("}}").toString());
  }

  @Test
  void racyFiles_areNotRemembered() throws IOException {
    // Hashed now, seconds after the files were written: a same-size rewrite within the
    // timestamp granule would go unseen, so nothing is stored.
    assertThat(version(Clock.systemUTC())).isEqualTo(DataVersion.of(raw, 1));
    assertThat(version(Clock.systemUTC())).isEqualTo(DataVersion.of(raw, 1));
    assertThat(hashes).hasValue(2);
    assertThat(memoFile()).doesNotExist();
    // Nor is a tree with a file from the future (its mtime, whatever the clock says), even
    // beyond what nanoseconds since 1970 can count.
    touch("a.csv", Instant.now().plus(Duration.ofDays(1)));
    later();
    later();
    assertThat(hashes).hasValue(4);
    touch("sub/b.csv", Instant.parse("3000-01-01T00:00:00Z"));
    assertThat(later()).isEqualTo(DataVersion.of(raw, 1));
    assertThat(hashes).hasValue(5);
    assertThat(memoFile()).doesNotExist();
  }

  @Test
  void racyTimes_areJudgedAgainstWhenHashingBegan() throws IOException {
    Instant newest = Instant.now();
    for (String f : List.of("a.csv", "sub/b.csv", "sub/deeper/c.bin")) {
      touch(f, Instant.parse("2001-01-01T00:00:00Z"));
    }
    // ctime is now: "now + 1 s" is within the 2 s margin, "now + 3 s" is not.
    version(Clock.fixed(newest.plusSeconds(1), java.time.ZoneOffset.UTC));
    assertThat(memoFile()).doesNotExist();
    version(Clock.fixed(Instant.now().plusSeconds(3), java.time.ZoneOffset.UTC));
    assertThat(memoFile()).exists();
  }

  @Test
  void strictFile_isHashedOnce_andAgainWhenItChanges() throws IOException {
    Path f = raw.resolve("a.csv");
    InputMemo.Hasher hasher = counting;
    String v = InputMemo.open(project, later).version(f, true, hasher);
    assertThat(v).isEqualTo(InputVersion.external(f, true, 1)).startsWith("sha256:");
    assertThat(InputMemo.open(project, later).version(f, true, hasher)).isEqualTo(v);
    assertThat(hashes).hasValue(1);
    rewriteKeepingMtime("a.csv");
    String now = InputMemo.open(project, later).version(f, true, hasher);
    assertThat(now).isNotEqualTo(v).isEqualTo(InputVersion.external(f, true, 1));
    assertThat(hashes).hasValue(2);
    // A file's mtime-size version is one stat: never remembered.
    InputMemo.open(project, later).version(f, false, hasher);
    assertThat(JSON.readTree(memoFile().toFile()).get("entries").size()).isEqualTo(1);
  }

  @Test
  void missingInput_isMissing_andNotRemembered() throws IOException {
    Path gone = project.resolve("data/none");
    assertThat(InputMemo.open(project, later).version(gone, false, counting))
        .isEqualTo(InputVersion.MISSING);
    assertThat(InputMemo.open(project, later).version(gone, true, counting))
        .isEqualTo(InputVersion.MISSING);
    assertThat(memoFile()).doesNotExist();
  }

  @Test
  void symlinkedDirectories_areNotDescended_soTheirChangesMatterToNeither() throws IOException {
    Path outside = project.resolve("elsewhere");
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("x"), "x");
    Files.createSymbolicLink(raw.resolve("linked"), outside);
    Files.createSymbolicLink(raw.resolve("file-link"), raw.resolve("a.csv"));
    String v = later();
    assertThat(v).isEqualTo(DataVersion.of(raw, 1));
    Files.writeString(outside.resolve("x"), "changed");
    assertThat(later()).isEqualTo(v).isEqualTo(DataVersion.of(raw, 1));
    assertThat(hashes).hasValue(1);
    // A linked file is hashed with its target's bytes: a change there is seen.
    append("a.csv", "more");
    assertThat(later()).isEqualTo(DataVersion.of(raw, 1)).isNotEqualTo(v);
    assertThat(hashes).hasValue(2);
  }

  @Test
  void anyPathSpelling_findsTheEntry() throws IOException {
    later();
    Path spelled = project.resolve("data/../data/./raw");
    assertThat(InputMemo.open(project, later).version(spelled, false, counting))
        .isEqualTo(DataVersion.of(raw, 1));
    assertThat(hashes).hasValue(1);
  }

  @Test
  void corruptMemo_isTakenAsEmpty_andRewritten() throws IOException {
    String truth = DataVersion.of(raw, 1);
    List<String> corrupt =
        List.of(
            "",
            "not json",
            "{\"schema\": 1, \"entries\": {\"dir ",
            "{\"schema\": 2, \"entries\": {}}",
            "[1, 2]",
            "null",
            "{\"schema\": 1, \"entries\": [1]}",
            "{\"schema\": 1, \"entries\": {\"dir " + raw.toRealPath() + "\": {\"stamp\": 3}}}",
            "\u0000\u00ff\u00fe");
    for (String text : corrupt) {
      Files.createDirectories(memoFile().getParent());
      Files.writeString(memoFile(), text);
      assertThat(later()).as(text).isEqualTo(truth);
      assertThat(JSON.readTree(memoFile().toFile()).get("schema").asInt()).as(text).isEqualTo(1);
    }
    int hashed = hashes.get();
    assertThat(later()).isEqualTo(truth);
    assertThat(hashes).hasValue(hashed);
  }

  @Test
  void unreadableOrUnwritableMemo_doesNotFailTheCommand() throws IOException {
    String truth = DataVersion.of(raw, 1);
    // A directory where the file should be: it can be neither read nor replaced.
    Files.createDirectories(memoFile().resolve("in-the-way"));
    assertThat(later()).isEqualTo(truth);
    assertThat(later()).isEqualTo(truth);
    // .lightcone/state is a file: the state directory cannot be made (as in a read-only project;
    // tests run as root, for whom permission bits are no obstacle).
    deleteTree(memoFile().getParent());
    Files.writeString(memoFile().getParent(), "not a directory");
    assertThat(later()).isEqualTo(truth);
    InputMemo memo = InputMemo.open(project, later);
    assertThat(memo.version(raw, false, counting)).isEqualTo(truth);
    append("a.csv", "x");
    assertThat(memo.version(raw, false, counting)).isEqualTo(DataVersion.of(raw, 1));
  }

  @Test
  void projectWhereNothingRan_getsNoStateDirectory() throws IOException {
    Files.delete(project.resolve(".lightcone"));
    assertThat(later()).isEqualTo(DataVersion.of(raw, 1));
    assertThat(later()).isEqualTo(DataVersion.of(raw, 1));
    assertThat(project.resolve(".lightcone")).doesNotExist();
    assertThat(hashes).hasValue(2);
  }

  @Test
  void none_neverReadsNorWrites() throws IOException {
    later();
    forge(raw, true, "sha256:" + "1".repeat(64));
    String memo = Files.readString(memoFile());
    assertThat(InputMemo.none().version(raw, false, counting)).isEqualTo(DataVersion.of(raw, 1));
    assertThat(Files.readString(memoFile())).isEqualTo(memo);
  }

  @Test
  void concurrentWriters_neverTearTheFile_andMergeTheirEntries() throws Exception {
    int dirs = 12;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < dirs; i++) {
      Path d = project.resolve("in/" + i);
      Files.createDirectories(d);
      Files.writeString(d.resolve("f"), "content " + i);
      inputs.add(d);
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      // A reader checks every version of the file it sees while 3 "commands" write.
      Future<?> reader =
          pool.submit(
              () -> {
                while (!done.get()) {
                  if (Files.exists(memoFile())) {
                    JsonNode root = JSON.readTree(memoFile().toFile());
                    assertThat(root.get("schema").asInt()).isEqualTo(1);
                    reads.incrementAndGet();
                  }
                }
                return null;
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int offset = w;
        writers.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 4; round++) {
                    InputMemo memo = InputMemo.open(project, later);
                    for (int i = 0; i < dirs; i++) {
                      Path d = inputs.get((i + offset * 4) % dirs);
                      assertThat(memo.version(d, false, 1)).isEqualTo(DataVersion.of(d, 1));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      done.set(true);
      reader.get();
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    // Whatever the last writer kept is right; a next command completes it.
    Map<String, InputMemo.Entry> entries = InputMemo.read(memoFile());
    assertThat(entries).isNotEmpty();
    for (Path d : inputs) {
      InputMemo.Entry e = entries.get(InputMemo.key(d, true));
      if (e != null) {
        assertThat(e.version()).isEqualTo(DataVersion.of(d, 1));
      }
    }
    InputMemo next = InputMemo.open(project, later);
    for (Path d : inputs) {
      next.version(d, false, 1);
    }
    assertThat(InputMemo.read(memoFile())).hasSize(dirs);
    assertThat(reads).hasPositiveValue();
    try (var leftovers = Files.list(memoFile().getParent())) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .containsExactly("input-versions.json");
    }
  }

  @Test
  void prune_dropsExpiredEntries_thenTheLeastRecentlyUsedBeyondTheCap() {
    long now = 1_000_000_000_000L;
    long day = Duration.ofDays(1).toMillis();
    Map<String, InputMemo.Entry> entries = new HashMap<>();
    entries.put("expired", new InputMemo.Entry("s", "v", now - 31 * day));
    for (int i = 0; i < InputMemo.MAX_ENTRIES + 5; i++) {
      entries.put("k" + i, new InputMemo.Entry("s", "v", now - day + i));
    }
    InputMemo.prune(entries, now);
    assertThat(entries).hasSize(InputMemo.MAX_ENTRIES);
    assertThat(entries).doesNotContainKeys("expired", "k0", "k1", "k2", "k3", "k4");
    assertThat(entries).containsKeys("k5", "k" + (InputMemo.MAX_ENTRIES + 4));
  }

  @Test
  void usedTime_isRefreshedAtMostDaily_soAHitWritesNothing() throws IOException {
    later();
    String written = Files.readString(memoFile());
    FileTime mtime = Files.getLastModifiedTime(memoFile());
    later();
    assertThat(Files.readString(memoFile())).isEqualTo(written);
    assertThat(Files.getLastModifiedTime(memoFile())).isEqualTo(mtime);
    // Two days on, a hit refreshes "used" so the entry does not expire while it is asked for;
    // written once when the command ends, not once per input.
    InputMemo memo = InputMemo.open(project, Clock.offset(later, Duration.ofDays(2)));
    long before = InputMemo.read(memoFile()).get(InputMemo.key(raw, true)).used();
    memo.version(raw, false, counting);
    assertThat(Files.readString(memoFile())).isEqualTo(written);
    memo.flush();
    assertThat(InputMemo.read(memoFile()).get(InputMemo.key(raw, true)).used())
        .isGreaterThan(before + Duration.ofDays(1).toMillis());
    assertThat(hashes).hasValue(1);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
