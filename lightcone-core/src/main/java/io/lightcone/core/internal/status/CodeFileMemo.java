package io.lightcone.core.internal.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The versions of the code files a run's tasks hash as they start (docs/code-tracking.md), kept in
 * memory for the run beside the stamp {@link InputMemo} takes (path, size, mtime, ctime, device and
 * inode of every file it covers): a code file that 1,000 tasks name is read once, and read again as
 * soon as its stamp changes, so an edit between two tasks is seen by the second. As in {@link
 * InputMemo}, a version is kept only when every file it covers last changed more than {@value
 * InputMemo#RACY_SECONDS} s before hashing began and the stamp after hashing equals the one before:
 * a rewrite of the same size within one timestamp granule of the hash is never missed. Nothing is
 * written to disk: the next command hashes again.
 *
 * <p>Thread safe: tasks hash at once; two that miss together both hash.
 */
public final class CodeFileMemo {
  private record Entry(String stamp, String version) {}

  /** The hash of a code file, when the memo cannot vouch for it. */
  @FunctionalInterface
  interface Hasher {
    String version() throws IOException;
  }

  private final Clock clock; // null: no memo
  private final Map<String, Entry> known = new ConcurrentHashMap<>();

  private CodeFileMemo(Clock clock) {
    this.clock = clock;
  }

  /** A memo for one run; {@code clock} tells when hashing began (racy entries). */
  public static CodeFileMemo of(Clock clock) {
    return new CodeFileMemo(clock);
  }

  /** No memo: every code file is hashed each time it is asked for. */
  static CodeFileMemo none() {
    return new CodeFileMemo(null);
  }

  /**
   * What {@code hasher} gives for the code file {@code rel} under {@code project} (a directory ends
   * in {@code /}), from the memo when its stamp is the one it had when it was hashed.
   */
  String version(Path project, String rel, Hasher hasher) throws IOException {
    if (clock == null) {
      return hasher.version();
    }
    boolean dir = rel.endsWith("/");
    Path path = project.resolve(dir ? rel.substring(0, rel.length() - 1) : rel);
    Instant start = clock.instant();
    long began = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    InputMemo.Stamp before;
    try {
      if (dir ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
        return hasher.version(); // gone, or of the other kind: it fails as it always did
      }
      before = InputMemo.stamp(path, dir);
    } catch (IOException | RuntimeException e) {
      return hasher.version();
    }
    String key = path.toAbsolutePath() + (dir ? "/" : "");
    Entry e = known.get(key);
    if (e != null && e.stamp().equals(before.digest())) {
      return e.version();
    }
    String version = hasher.version();
    if (before.newest() < began - TimeUnit.SECONDS.toNanos(InputMemo.RACY_SECONDS)
        && unchanged(path, dir, before)) {
      known.put(key, new Entry(before.digest(), version));
    }
    return version;
  }

  private static boolean unchanged(Path path, boolean dir, InputMemo.Stamp before) {
    try {
      return before.equals(InputMemo.stamp(path, dir));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
