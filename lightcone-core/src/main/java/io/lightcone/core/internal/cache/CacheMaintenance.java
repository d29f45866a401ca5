package io.lightcone.core.internal.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.core.internal.Compression;
import io.lightcone.core.internal.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** {@code lc cache stats|gc|verify}: sizes, least-recently-used collection, blob checks. */
public final class CacheMaintenance {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CacheMaintenance() {}

  /**
   * What the cache holds.
   *
   * @param entries action entries
   * @param blobs distinct file contents
   * @param storedBytes bytes on disk (compressed blobs and entries)
   * @param logicalBytes bytes the entries stand for, uncompressed, counting shared files once per
   *     entry
   * @param hits of the most recent {@code lookups} (up to the last 1,000), how many were hits
   * @param hardlinkedBytes bytes of raw blobs that outputs share by hard link now (each extra link
   *     counted: the bytes a copy per output would have taken)
   * @param reflinkedBytes bytes Lightcone placed by reflink, in outputs and blobs, since the store
   *     began (what Lightcone did, counted by it: the file system cannot be asked which extents are
   *     still shared)
   */
  public record Stats(
      long entries,
      long blobs,
      long storedBytes,
      long logicalBytes,
      long hits,
      long lookups,
      long hardlinkedBytes,
      long reflinkedBytes) {}

  private record Action(Path file, long size, long lastUsed, CacheStore.Entry entry) {}

  public static Stats stats(CacheStore store) throws IOException {
    List<Action> actions = actions(store);
    long stored = actions.stream().mapToLong(Action::size).sum();
    long logical = 0;
    for (Action a : actions) {
      for (CacheStore.FileEntry f : a.entry().files()) {
        logical += f.size();
      }
    }
    long blobs = 0;
    long hardlinked = 0;
    for (Path b : blobs(store)) {
      blobs++;
      long size = Files.size(b);
      stored += size;
      if (b.toString().endsWith(CacheStore.RAW)) {
        Object links = Files.getAttribute(b, "unix:nlink");
        hardlinked += size * Math.max(0, ((Number) links).longValue() - 1);
      }
    }
    long[] recent = CacheStore.recentLookups(store.root());
    return new Stats(
        actions.size(),
        blobs,
        stored,
        logical,
        recent[0],
        recent[1],
        hardlinked,
        CacheStore.reflinked(store.root()));
  }

  /**
   * What gc removed.
   *
   * @param entries action entries removed
   * @param blobs blobs removed
   * @param bytes bytes freed
   */
  public record Collected(long entries, long blobs, long bytes) {}

  /**
   * Removes least recently used entries until the store fits in {@code maxBytes} (no limit when
   * negative), never one whose {@code data_version} is in {@code keep}; then removes every blob no
   * remaining entry references, and leftovers of interrupted writes.
   */
  public static Collected gc(CacheStore store, long maxBytes, Set<String> keep) throws IOException {
    List<Action> actions = new ArrayList<>(actions(store));
    Map<String, Long> blobSizes = new HashMap<>();
    Map<String, List<Path>> blobFiles = new HashMap<>();
    for (Path b : blobs(store)) {
      blobSizes.merge(digestOf(b), Files.size(b), Long::sum);
      blobFiles.computeIfAbsent(digestOf(b), d -> new ArrayList<>()).add(b);
    }
    // How many entries use each blob: a blob goes when its last entry goes.
    Map<String, Integer> references = new HashMap<>();
    for (Action a : actions) {
      for (String digest : digests(a)) {
        references.merge(digest, 1, Integer::sum);
      }
    }
    long total =
        actions.stream().mapToLong(Action::size).sum()
            + blobSizes.values().stream().mapToLong(Long::longValue).sum();
    actions.sort(Comparator.comparingLong(Action::lastUsed));
    long entries = 0;
    long freed = 0;
    for (Action a : actions) {
      if (maxBytes < 0 || total <= maxBytes) {
        break;
      }
      if (keep.contains(a.entry().dataVersion())) {
        continue;
      }
      Files.deleteIfExists(a.file());
      total -= a.size();
      freed += a.size();
      entries++;
      for (String digest : digests(a)) {
        if (references.merge(digest, -1, Integer::sum) == 0) {
          total -= blobSizes.getOrDefault(digest, 0L);
        }
      }
    }
    long blobs = 0;
    for (Map.Entry<String, Long> b : blobSizes.entrySet()) {
      if (references.getOrDefault(b.getKey(), 0) <= 0) {
        for (Path f : blobFiles.get(b.getKey())) {
          Files.deleteIfExists(f);
        }
        blobs++;
        freed += b.getValue();
      }
    }
    try (Stream<Path> s = walk(store.root())) {
      // Leftovers of interrupted writes; a fresh one may belong to a writer at work right now.
      long hourAgo = System.currentTimeMillis() - 3_600_000L;
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
        if (Files.getLastModifiedTime(p).toMillis() < hourAgo) {
          Files.deleteIfExists(p);
        }
      }
    }
    return new Collected(entries, blobs, freed);
  }

  private static Set<String> digests(Action a) {
    Set<String> out = new HashSet<>();
    a.entry().files().forEach(f -> out.add(f.digest()));
    return out;
  }

  /** Re-hashes every blob; returns the digests of those that do not match their name. */
  public static List<String> verify(CacheStore store) throws IOException {
    List<String> bad = new ArrayList<>();
    Path dir = store.root().resolve("blobs");
    if (Files.isDirectory(dir)) {
      // A blob that is a directory (or anything but a file) holds no content: it is damaged.
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.filter(p -> !p.equals(dir) && isBlobName(p)).toList()) {
          if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            bad.add(digestOf(p));
          }
        }
      }
    }
    for (Path b : blobs(store)) {
      String digest = digestOf(b);
      MessageDigest d = Sha256.newDigest();
      try (InputStream in =
              b.toString().endsWith(CacheStore.RAW)
                  ? Files.newInputStream(b)
                  : Compression.decompressing(Files.newInputStream(b));
          OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), d)) {
        in.transferTo(out);
        if (!HexFormat.of().formatHex(d.digest()).equals(digest)) {
          bad.add(digest);
        }
      } catch (IOException e) {
        bad.add(digest);
      }
    }
    return bad;
  }

  private static List<Action> actions(CacheStore store) throws IOException {
    Path dir = store.root().resolve("actions");
    List<Action> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = walk(dir)) {
      for (Path p :
          s.filter(
                  p ->
                      p.toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
              .toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        String key = p.getFileName().toString().replace(".json", "");
        try {
          out.add(
              new Action(
                  p,
                  a.size(),
                  a.lastModifiedTime().toMillis(),
                  CacheStore.parse(key, JSON.readTree(p.toFile()))));
        } catch (IOException | RuntimeException unreadable) {
          Files.deleteIfExists(p); // a damaged entry is a miss forever; drop it
        }
      }
    }
    return out;
  }

  private static List<Path> blobs(CacheStore store) throws IOException {
    Path dir = store.root().resolve("blobs");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = walk(dir)) {
      return s.filter(
              p ->
                  !p.getFileName().toString().startsWith(".")
                      && (p.toString().endsWith(CacheStore.ZST)
                          || p.toString().endsWith(CacheStore.RAW)))
          .toList();
    }
  }

  private static boolean isBlobName(Path p) {
    String n = p.getFileName().toString();
    return !n.startsWith(".") && (n.endsWith(CacheStore.ZST) || n.endsWith(CacheStore.RAW));
  }

  private static String digestOf(Path blob) {
    String name = blob.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }

  private static Stream<Path> walk(Path dir) throws IOException {
    return Files.walk(dir).filter(Files::isRegularFile);
  }
}
