package io.lightcone.core.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.hash.PyJson;
import io.lightcone.core.internal.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A content-addressed store of outputs (DESIGN §7), safe for several users and nodes writing at
 * once: every file lands under a temporary name in its final directory and is renamed into place,
 * and content that is already there is never rewritten.
 *
 * <pre>
 * blobs/ab/abcdef….zst     file contents, zstd-compressed, named by the SHA-256 of the bytes
 * actions/12/12ab….json    output + code_version + input_versions → file tree + data_version
 * </pre>
 *
 * The action key is separate from the content digest (as in Bazel's action cache): two actions may
 * produce the same bytes, and they share the blobs.
 */
public final class CacheStore {
  /** Made on first use: planning only asks whether entries exist. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static final int LEVEL = 3;

  private final Path root;

  public CacheStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** One file of a cached output. */
  public record FileEntry(String path, long size, boolean executable, String digest) {}

  /** What an action produced. */
  public record Entry(
      String key,
      String output,
      String codeVersion,
      Map<String, String> inputVersions,
      String dataVersion,
      String treeVersion,
      List<FileEntry> files) {}

  /**
   * The action key: SHA-256 of the canonical JSON of the qualified output id, its {@code
   * code_version} and its {@code input_versions} (keys sorted).
   */
  public static String key(String output, String codeVersion, Map<String, String> inputVersions) {
    return key(output, codeVersion, Map.of(), inputVersions);
  }

  /**
   * As {@link #key(String, String, Map)}, with the task's code files ({@code path -> version}) as
   * {@code "code_files": CodeFiles.record(...)}: a restore never brings back the output of other
   * code, and an entry made before code files were tracked never matches a task that has some. A
   * task without code files keeps the key it always had.
   */
  public static String key(
      String output,
      String codeVersion,
      Map<String, String> codeFiles,
      Map<String, String> inputVersions) {
    Map<String, Object> k = new LinkedHashMap<>();
    if (!codeFiles.isEmpty()) {
      k.put("code_files", io.lightcone.core.internal.hash.CodeFiles.record(codeFiles));
    }
    k.put("code_version", codeVersion);
    k.put("input_versions", new TreeMap<>(inputVersions));
    k.put("output", output);
    return Sha256.ofUtf8(PyJson.compact(k)).substring(Sha256.PREFIX.length());
  }

  private Path actionFile(String key) {
    return root.resolve("actions").resolve(key.substring(0, 2)).resolve(key + ".json");
  }

  private Path blobFile(String digest) {
    return root.resolve("blobs").resolve(digest.substring(0, 2)).resolve(digest + ".zst");
  }

  /** The entry for {@code key}, marking it used (for least-recently-used collection). */
  public Optional<Entry> lookup(String key) {
    Path file = actionFile(key);
    boolean hit = Files.isRegularFile(file);
    logLookup(hit);
    if (!hit) {
      return Optional.empty();
    }
    try {
      Entry e = parse(key, Json.MAPPER.readTree(file.toFile()));
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
      return Optional.of(e);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // an unreadable entry is a miss; gc removes it
    }
  }

  public boolean contains(String key) {
    return Files.isRegularFile(actionFile(key));
  }

  /** Stores the output in {@code dir} (already hashed to {@code versions}) under {@code key}. */
  public void store(
      String key,
      String output,
      String codeVersion,
      Map<String, String> inputVersions,
      DataVersion.Versions versions,
      Path dir)
      throws IOException {
    List<FileEntry> files = new ArrayList<>();
    for (DataVersion.Entry f : DataVersion.list(dir)) {
      String digest = putBlob(f.file());
      files.add(new FileEntry(f.rel(), Files.size(f.file()), Files.isExecutable(f.file()), digest));
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("schema_version", 1);
    e.put("output", output);
    e.put("code_version", codeVersion);
    e.put("input_versions", new TreeMap<>(inputVersions));
    e.put("data_version", versions.dataVersion());
    e.put("tree_version", versions.treeVersion());
    List<Object> list = new ArrayList<>();
    for (FileEntry f : files) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("size", f.size());
      m.put("executable", f.executable());
      m.put("digest", f.digest());
      list.add(m);
    }
    e.put("files", list);
    writeAtomically(actionFile(key), PyJson.indented(e).getBytes(StandardCharsets.UTF_8), true);
  }

  /** Compresses {@code file} into the store unless its content is there; returns its digest. */
  String putBlob(Path file) throws IOException {
    MessageDigest d = Sha256.newDigest();
    Path tmp = tempIn(root.resolve("blobs"));
    try {
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), d);
          OutputStream out = new ZstdOutputStream(Files.newOutputStream(tmp), LEVEL)) {
        in.transferTo(out);
      }
      String digest = HexFormat.of().formatHex(d.digest());
      Path target = blobFile(digest);
      if (!Files.exists(target)) {
        Files.createDirectories(target.getParent());
        moveIntoPlace(tmp, target, false);
      }
      return digest;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes the files of {@code entry} into the empty directory {@code dir}. A blob that is missing
   * or does not hash to its name fails with an IOException; the caller re-hashes the whole tree
   * anyway before trusting it.
   */
  public void materialize(Entry entry, Path dir) throws IOException {
    for (FileEntry f : entry.files()) {
      Path target = dir.resolve(f.path()).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("cache entry names a path outside its output: " + f.path());
      }
      Files.createDirectories(target.getParent());
      MessageDigest d = Sha256.newDigest();
      try (InputStream in =
              new DigestInputStream(
                  new ZstdInputStream(Files.newInputStream(blobFile(f.digest()))), d);
          OutputStream out = Files.newOutputStream(target)) {
        in.transferTo(out);
      }
      if (!HexFormat.of().formatHex(d.digest()).equals(f.digest())) {
        throw new IOException("blob " + f.digest() + " is corrupt");
      }
      if (f.executable()) {
        Set<PosixFilePermission> p = EnumSet.copyOf(Files.getPosixFilePermissions(target));
        p.add(PosixFilePermission.OWNER_EXECUTE);
        p.add(PosixFilePermission.GROUP_EXECUTE);
        p.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(target, p);
      }
    }
  }

  /**
   * Appends {@code hit} or {@code miss} to {@code log/lookups}: one short O_APPEND write, atomic
   * between the processes of several users sharing the store.
   */
  private void logLookup(boolean hit) {
    try {
      Path log = root.resolve("log/lookups");
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          hit ? "hit\n" : "miss\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // Statistics are a convenience; a read-only store still restores.
    }
  }

  /** {hits, lookups} among the last 1,000 lookups. */
  static long[] recentLookups(Path root) throws IOException {
    Path log = root.resolve("log/lookups");
    if (!Files.isRegularFile(log)) {
      return new long[] {0, 0};
    }
    List<String> lines = Files.readAllLines(log);
    List<String> recent = lines.subList(Math.max(0, lines.size() - 1000), lines.size());
    long hits = recent.stream().filter("hit"::equals).count();
    if (lines.size() > 10_000) {
      writeAtomically(
          log, String.join("\n", recent).concat("\n").getBytes(StandardCharsets.UTF_8), true);
    }
    return new long[] {hits, recent.size()};
  }

  /** Removes an entry (e.g. after its blobs turned out corrupt). */
  public void forget(String key) throws IOException {
    Files.deleteIfExists(actionFile(key));
  }

  static Entry parse(String key, JsonNode n) {
    Map<String, String> inputs = new LinkedHashMap<>();
    n.get("input_versions")
        .fields()
        .forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode f : n.get("files")) {
      files.add(
          new FileEntry(
              f.get("path").asText(),
              f.get("size").asLong(),
              f.get("executable").asBoolean(),
              f.get("digest").asText()));
    }
    return new Entry(
        key,
        n.get("output").asText(),
        n.get("code_version").asText(),
        inputs,
        n.get("data_version").asText(),
        n.get("tree_version").asText(),
        files);
  }

  private static Path tempIn(Path dir) throws IOException {
    Files.createDirectories(dir);
    return dir.resolve(".tmp-" + UUID.randomUUID());
  }

  static void writeAtomically(Path target, byte[] bytes, boolean replace) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
    try {
      Files.write(tmp, bytes);
      moveIntoPlace(tmp, target, replace);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames {@code tmp} to {@code target} atomically. Without {@code replace}, an existing target
   * wins: another writer stored the same content first.
   */
  private static void moveIntoPlace(Path tmp, Path target, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // A hard link fails if the target exists, which rename(2) would silently replace.
        Files.createLink(target, tmp);
      }
    } catch (FileAlreadyExistsException e) {
      // same content, written by someone else
    } catch (AtomicMoveNotSupportedException | UnsupportedOperationException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
