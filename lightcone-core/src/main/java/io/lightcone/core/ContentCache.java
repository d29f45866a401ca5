package io.lightcone.core;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.cache.CacheMaintenance;
import io.lightcone.core.internal.cache.CacheStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The content-addressed store a project restores outputs from (DESIGN §7): its size, its clean-up
 * and its check.
 *
 * <pre>{@code
 * ContentCache cache = project.cache();
 * System.out.println(cache.stats());
 * cache.gc(10L << 30, true);          // keep it under 10 GiB, never what current outputs use
 * }</pre>
 */
public final class ContentCache {
  private final CacheStore store;
  private final Set<String> referenced;

  ContentCache(Path root, Set<String> referenced) {
    this.store = new CacheStore(root);
    this.referenced = Set.copyOf(referenced);
  }

  public Path directory() {
    return store.root();
  }

  /**
   * What the store holds.
   *
   * @param entries cached outputs (actions)
   * @param blobs distinct file contents
   * @param storedBytes bytes on disk, compressed
   * @param logicalBytes bytes the cached outputs stand for, uncompressed
   * @param hits hits among the {@code lookups} most recent lookups (at most 1,000)
   * @param lookups recent lookups counted
   * @param hardlinkedBytes bytes outputs share with the cache by hard link now ({@code --link
   *     hardlink}), each extra link counted
   * @param reflinkedBytes bytes Lightcone placed by reflink (stores and restores) since the cache
   *     began: counted as it placed them, since the file system cannot say which are still shared
   */
  public record Stats(
      long entries,
      long blobs,
      long storedBytes,
      long logicalBytes,
      long hits,
      long lookups,
      long hardlinkedBytes,
      long reflinkedBytes) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%d entries, %d blobs, %s stored for %s of outputs (%.1fx), hit rate %s;"
              + " shared: %s hard-linked, %s reflinked",
          entries,
          blobs,
          human(storedBytes),
          human(logicalBytes),
          storedBytes == 0 ? 0.0 : (double) logicalBytes / storedBytes,
          lookups == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%d/%d", hits, lookups),
          human(hardlinkedBytes),
          human(reflinkedBytes));
    }
  }

  /**
   * What {@link #gc} removed.
   *
   * @param entries cached outputs removed
   * @param blobs file contents removed
   * @param bytes bytes freed
   */
  public record Collected(long entries, long blobs, long bytes) {
    @Override
    public String toString() {
      return "removed " + entries + " entries and " + blobs + " blobs, freed " + human(bytes);
    }
  }

  public Stats stats() {
    try {
      CacheMaintenance.Stats s = CacheMaintenance.stats(store);
      return new Stats(
          s.entries(),
          s.blobs(),
          s.storedBytes(),
          s.logicalBytes(),
          s.hits(),
          s.lookups(),
          s.hardlinkedBytes(),
          s.reflinkedBytes());
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * Removes least recently used entries until the store takes at most {@code maxBytes} (negative:
   * no limit, only unreferenced blobs and leftovers go); with {@code keepReferenced}, never an
   * entry that the project's current outputs were made from.
   */
  public Collected gc(long maxBytes, boolean keepReferenced) {
    try {
      CacheMaintenance.Collected c =
          CacheMaintenance.gc(store, maxBytes, keepReferenced ? referenced : Set.of());
      return new Collected(c.entries(), c.blobs(), c.bytes());
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** Re-hashes every blob; returns the digests of damaged ones (empty when all are sound). */
  public List<String> verify() {
    try {
      return CacheMaintenance.verify(store);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private LightconeException unreadable(IOException e) {
    return new LightconeException(
        LightconeException.Kind.ENVIRONMENT,
        "cannot read the cache at " + store.root() + ": " + e.getMessage(),
        e);
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
