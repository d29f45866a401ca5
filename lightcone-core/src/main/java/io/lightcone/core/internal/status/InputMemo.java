package io.lightcone.core.internal.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.hash.Fingerprint;
import io.lightcone.core.internal.hash.InputVersion;
import io.lightcone.core.internal.hash.PyJson;
import io.lightcone.core.internal.manifest.ManifestStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Remembers, from one command to the next, the version of every external input directory (and, in
 * strict mode, file) beside a stamp of what {@code stat} says about it, so that {@code status},
 * {@code plan} and {@code run} do not read gigabytes of unchanged raw data again (issue #3: "a
 * stat-keyed memo may skip re-reading unchanged external inputs; data is never trusted from it in
 * {@code verify}"). It is a cache, never a source of truth: {@code verify} does not use it, and
 * deleting it only costs one re-hash.
 *
 * <p><b>Where.</b> {@code .lightcone/state/input-versions.json} in the project: {@code {"entries":
 * {key: {"stamp", "version", "used"}}, "schema": 1}}. The key is the kind ({@code dir}, or {@code
 * sha256} for a file hashed in strict mode) and the input's canonical absolute path. A directory's
 * version does not depend on strict mode, so one entry serves both; a file's {@code mtime-size:}
 * version costs one stat and is never memoised. {@code used} (Unix milliseconds, refreshed at most
 * daily) bounds the file: entries unused for {@value #EXPIRY_DAYS} days go, and beyond {@value
 * #MAX_ENTRIES} entries the least recently used go.
 *
 * <p><b>Stamp.</b> SHA-256 over, for every file {@link DataVersion#list} would hash (the same walk:
 * symbolic links to directories not descended, the manifest and Snakemake's marker skipped), in its
 * order: the relative path, then the size, mtime and ctime in nanoseconds, device and inode of the
 * file read (a symbolic link's target). A strict-mode file's stamp holds the same fields for the
 * file alone. Nothing is read but metadata. A name added, removed or renamed changes the list; a
 * rewrite changes mtime or size; a rewrite that puts the old mtime back still changes ctime, which
 * no user call can set; a file replaced by another changes the inode.
 *
 * <p><b>Racily clean entries</b> (git's problem): a file rewritten with the same size within one
 * timestamp granule of the moment it was hashed would keep its stamp but not its content. So an
 * entry is stored only when every file's mtime and ctime are older than {@value #RACY_SECONDS} s
 * before hashing began (so none is in the future either, nor on a file system whose granule is up
 * to 2 s), and when the stamp taken after hashing equals the one taken before. An input that
 * changed recently is just hashed again next time.
 *
 * <p><b>Writes.</b> Each new entry is merged into what the file holds now (another command may have
 * added its own) and written to a temporary file, synced and renamed over it: concurrent commands
 * never see a torn file, and the last writer wins. A new entry is written at once (it cost a full
 * read); a refreshed {@code used} waits for {@link #flush()} at the end of the command, so a status
 * that only reuses entries writes at most once a day. The file is read once per command (again only
 * when it changed); a file that cannot be read or parsed is taken as empty and rewritten. A project
 * with no {@code .lightcone} (nothing ever ran) or one that cannot be written gets no memo, and no
 * error.
 *
 * <pre>{@code
 * InputMemo memo = InputMemo.open(project, Clock.systemUTC());
 * String v = memo.version(project.resolve("data/raw"), false, 2); // hashes once, then stats
 * memo.flush(); // when the command ends
 * }</pre>
 *
 * <p>Thread safe: hashing happens outside the lock, so tasks hash different inputs at once.
 */
public final class InputMemo {
  static final String FILE = ".lightcone/state/input-versions.json";
  static final int SCHEMA = 1;
  static final long RACY_SECONDS = 2;
  static final int MAX_ENTRIES = 1000;
  static final long EXPIRY_DAYS = 30;

  /** Larger than any file this class writes ({@value #MAX_ENTRIES} short entries): not ours. */
  private static final long MAX_FILE_BYTES = 16L << 20;

  private static final Duration EXPIRY = Duration.ofDays(EXPIRY_DAYS);
  private static final Duration TOUCH = Duration.ofDays(1);
  private static final Duration STALE_TEMP = Duration.ofHours(1);

  /** Made on first use: a project without directory inputs never parses JSON. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** How an input is hashed when the memo does not know it; tests count the calls. */
  @FunctionalInterface
  interface Hasher {
    String version(Path path, boolean strict) throws IOException;
  }

  /**
   * One remembered version.
   *
   * @param stamp the stamp of the input when it was hashed
   * @param version what it hashed to
   * @param used when it was last asked for, Unix milliseconds
   */
  record Entry(String stamp, String version, long used) {}

  /** A stamp, and the newest mtime or ctime among the files it covers (epoch nanoseconds). */
  record Stamp(String digest, long newest) {}

  private final Path project; // null: no memo
  private final Clock clock;
  private Map<String, Entry> entries; // loaded on first use
  private String readStamp = ""; // the file's size, mtime and identity when entries were read
  private final Map<String, Entry> unwritten = new HashMap<>();
  private boolean writable = true;

  private InputMemo(Path project, Clock clock) {
    this.project = project;
    this.clock = clock;
  }

  /** The memo of {@code project}; {@code clock} tells when hashing began (racy entries). */
  public static InputMemo open(Path project, Clock clock) {
    return new InputMemo(project, clock);
  }

  /** No memo: every input is hashed, nothing is read or written. */
  public static InputMemo none() {
    return new InputMemo(null, Clock.systemUTC());
  }

  /** {@link InputVersion#external}, from the memo when the stamp says nothing changed. */
  String version(Path path, boolean strict, int threads) throws IOException {
    return version(path, strict, (p, s) -> InputVersion.external(p, s, threads));
  }

  String version(Path path, boolean strict, Hasher hasher) throws IOException {
    if (project == null) {
      return hasher.version(path, strict);
    }
    boolean dir = Files.isDirectory(path);
    if (!dir && !(strict && Files.isRegularFile(path))) {
      return hasher.version(path, strict); // missing, or mtime-size: one stat already
    }
    String key;
    try {
      key = key(path, dir);
    } catch (IOException e) {
      return hasher.version(path, strict);
    }
    return remembered(
        key,
        () -> {
          if (Files.isDirectory(path) != dir) {
            throw new IOException(path + " changed kind");
          }
          return stamp(path, dir);
        },
        () -> hasher.version(path, strict));
  }

  /** What a memo entry is worth computing once: a hash of files, say. */
  @FunctionalInterface
  public interface Computation {
    String compute() throws IOException;
  }

  /** The stamp of what an entry covers; an error when it cannot be taken. */
  @FunctionalInterface
  private interface Stamper {
    Stamp stamp() throws IOException;
  }

  /**
   * What {@code computation} gives, from the memo when none of {@code files} changed since it was
   * remembered under {@code key}: the same stamp (path, size, mtime, ctime, device, inode of each
   * file, in the order given) and racy-entry rules as for an input directory. For values derived
   * from files other than inputs, such as the content tag of an image, whose build context would
   * otherwise be read whole at every start.
   */
  public String derived(String key, List<Path> files, Computation computation) throws IOException {
    if (project == null) {
      return computation.compute();
    }
    return remembered("derived " + key, () -> stamp(files), computation);
  }

  private String remembered(String key, Stamper stamper, Computation computation)
      throws IOException {
    Instant start = clock.instant();
    long began = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    Stamp before;
    try {
      before = stamper.stamp();
    } catch (IOException e) {
      return computation.compute(); // it fails as it always did, or the files just changed
    }
    Entry known = lookup(key);
    if (known != null && known.stamp().equals(before.digest())) {
      long now = clock.millis();
      if (known.used() < now - TOUCH.toMillis()) {
        touch(key, new Entry(known.stamp(), known.version(), now)); // written by flush()
      }
      return known.version();
    }
    String version = computation.compute();
    if (before.newest() < began - TimeUnit.SECONDS.toNanos(RACY_SECONDS)
        && unchanged(stamper, before)) {
      remember(key, new Entry(before.digest(), version, clock.millis()));
    }
    return version;
  }

  /** Whether the stamp is still {@code before}: nothing changed while it was computed. */
  private static boolean unchanged(Stamper stamper, Stamp before) {
    try {
      return before.equals(stamper.stamp());
    } catch (IOException e) {
      return false;
    }
  }

  /** The entry's key: the kind of version, and the canonical path (any spelling finds it). */
  static String key(Path path, boolean dir) throws IOException {
    return (dir ? "dir " : "sha256 ") + path.toRealPath();
  }

  /**
   * The stamp of {@code path}: of every file {@link DataVersion#list} would hash when {@code dir},
   * else of the file itself. Reads metadata only.
   */
  static Stamp stamp(Path path, boolean dir) throws IOException {
    // The formula's name and version: a new formula never matches an old stamp.
    Fingerprint d = Fingerprint.of(Fingerprint.INPUT_STAMP).field(dir ? "dir" : "file");
    long newest = Long.MIN_VALUE;
    if (dir) {
      for (DataVersion.Entry e : DataVersion.list(path)) {
        // The name as hashed: a rename or a new or removed file changes the list.
        d.field(e.rel());
        newest = Math.max(newest, stat(d, e.file()));
      }
    } else {
      newest = stat(d, path);
    }
    return new Stamp(d.version(), newest);
  }

  /** The stamp of {@code files}, in this order: each one's path, then its metadata. */
  static Stamp stamp(List<Path> files) throws IOException {
    Fingerprint d = Fingerprint.of(Fingerprint.INPUT_STAMP).field("files");
    long newest = Long.MIN_VALUE;
    for (Path file : files) {
      d.field(file.toString());
      newest = Math.max(newest, stat(d, file));
    }
    return new Stamp(d.version(), newest);
  }

  /** Adds the metadata of the file {@code file} names (a link's target) to {@code d}. */
  private static long stat(Fingerprint d, Path file) throws IOException {
    long size;
    long mtime;
    long ctime;
    String identity;
    try {
      Map<String, Object> a =
          Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,dev,ino");
      size = (Long) a.get("size");
      mtime = nanos((FileTime) a.get("lastModifiedTime"));
      ctime = nanos((FileTime) a.get("ctime"));
      identity = a.get("dev") + ":" + a.get("ino");
    } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      size = a.size();
      mtime = nanos(a.lastModifiedTime());
      ctime = mtime; // no ctime here: mtime alone, as for a file version
      identity = String.valueOf(a.fileKey());
    }
    // Size and mtime: what a rewrite changes. ctime: what putting the old mtime back changes.
    d.field(size).field(mtime).field(ctime);
    // Device and inode: a file swapped for another (a rename over it, a new link target).
    d.field(identity);
    return Math.max(mtime, ctime);
  }

  /** Saturated: a file dated beyond 2262 (or before 1677) still has a stamp. */
  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /**
   * The entry under {@code key}. One memo serves a whole command; the file is read again when it
   * changed since (another process, such as a worker or another command, wrote it), with this
   * instance's unwritten entries kept on top.
   */
  private synchronized Entry lookup(String key) {
    Path file = project.resolve(FILE);
    String now = fileStamp(file);
    if (entries == null || !now.equals(readStamp)) {
      entries = read(file);
      entries.putAll(unwritten);
      readStamp = now;
    }
    return entries.get(key);
  }

  private static String fileStamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.size() + ":" + nanos(a.lastModifiedTime()) + ":" + a.fileKey();
    } catch (IOException e) {
      return "none";
    }
  }

  private synchronized void touch(String key, Entry entry) {
    entries.put(key, entry);
    unwritten.put(key, entry);
  }

  /** Keeps a new version at once: it cost a full read, and the command may yet be killed. */
  private synchronized void remember(String key, Entry entry) {
    touch(key, entry);
    flush();
  }

  /**
   * Writes what this instance learnt and has not written yet: a command calls it when it ends, so
   * that the entries it only used (whose {@code used} it refreshed) are written once, not one write
   * per entry. Never fails: without a memo the command just goes on.
   */
  public synchronized void flush() {
    if (project == null || unwritten.isEmpty() || !writable) {
      return;
    }
    try {
      write();
      unwritten.clear();
    } catch (IOException | RuntimeException e) {
      writable = false; // read-only project, full disk: this command goes on without the memo
    }
  }

  /** Merges this instance's new entries into the file as it is now, and replaces it. */
  private void write() throws IOException {
    Path lightcone = project.resolve(".lightcone");
    if (!Files.isDirectory(lightcone)) {
      writable = false; // nothing ever ran here: status does not create the project's state
      return;
    }
    Path file = project.resolve(FILE);
    Files.createDirectories(file.getParent());
    Map<String, Entry> merged = read(file);
    merged.putAll(unwritten);
    prune(merged, clock.millis());
    Map<String, Object> json = new TreeMap<>();
    Map<String, Object> out = new TreeMap<>();
    merged.forEach(
        (k, e) -> {
          Map<String, Object> m = new TreeMap<>();
          m.put("stamp", e.stamp());
          m.put("version", e.version());
          m.put("used", e.used());
          out.put(k, m);
        });
    json.put("entries", out);
    json.put("schema", SCHEMA);
    byte[] bytes = (PyJson.indented(json) + "\n").getBytes(StandardCharsets.UTF_8);
    Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      ManifestStore.writeNew(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      ManifestStore.syncDirectory(file.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
    entries = merged;
    readStamp = fileStamp(file);
    sweepTemporaries(file);
  }

  /** Drops entries unused for {@link #EXPIRY}, then the least recently used beyond the cap. */
  static void prune(Map<String, Entry> entries, long nowMillis) {
    entries.values().removeIf(e -> e.used() < nowMillis - EXPIRY.toMillis());
    if (entries.size() > MAX_ENTRIES) {
      List<Map.Entry<String, Entry>> byUse = new ArrayList<>(entries.entrySet());
      byUse.sort(
          Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().used())
              .thenComparing(Map.Entry::getKey));
      Iterator<Map.Entry<String, Entry>> oldest = byUse.iterator();
      for (int n = entries.size() - MAX_ENTRIES; n > 0; n--) {
        entries.remove(oldest.next().getKey());
      }
    }
  }

  /** Temporary files of writers killed before their rename; an hour old is nobody's any more. */
  private void sweepTemporaries(Path file) {
    long hourAgo = clock.millis() - STALE_TEMP.toMillis();
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(file.getParent(), file.getFileName() + ".*.tmp")) {
      for (Path tmp : s) {
        if (Files.getLastModifiedTime(tmp).toMillis() < hourAgo) {
          Files.deleteIfExists(tmp);
        }
      }
    } catch (IOException e) {
      // they cost a few bytes each
    }
  }

  /** The entries {@code file} holds; none when it is missing, unreadable or not ours. */
  static Map<String, Entry> read(Path file) {
    Map<String, Entry> out = new HashMap<>();
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
        return out;
      }
      JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
      if (root == null || root.path("schema").asInt(-1) != SCHEMA) {
        return out;
      }
      root.path("entries")
          .fields()
          .forEachRemaining(
              f -> {
                JsonNode e = f.getValue();
                JsonNode stamp = e.path("stamp");
                JsonNode version = e.path("version");
                JsonNode used = e.path("used");
                if (stamp.isTextual() && version.isTextual() && used.canConvertToLong()) {
                  out.put(
                      f.getKey(), new Entry(stamp.textValue(), version.textValue(), used.asLong()));
                }
              });
      return out;
    } catch (IOException | RuntimeException e) {
      return new HashMap<>(); // only a cache: start again
    }
  }
}
