package io.lightcone.core.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.core.internal.Compression;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.hash.PyJson;
import io.lightcone.core.internal.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
 * blobs/ab/abcdef….raw     the same for large files kept as they are, so that a restore can
 *                          reflink (or, when asked, hard-link) them instead of copying
 * actions/12/12ab….json    output + code_version + input_versions → file tree + data_version
 * log/lookups, log/placed  hit/miss lines; bytes placed by reflink (for stats)
 * </pre>
 *
 * <p>Which blobs are raw: with {@link Link#HARDLINK}, every file (the output's own inode becomes
 * the blob, made read-only); otherwise a file of at least {@link #RAW_MIN} bytes when the store can
 * reflink it (the blob then shares the output's extents and costs no space), or when zstd cannot
 * shrink its first MiB by a tenth (random or already-compressed data, where compression only costs
 * time). Blobs and restored files never get wider permissions than the file they came from.
 *
 * <p>The action key is separate from the content digest (as in Bazel's action cache): two actions
 * may produce the same bytes, and they share the blobs.
 */
public final class CacheStore {
  /** Made on first use: planning only asks whether entries exist. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static final int LEVEL = 3;

  /** Files from this size on may be stored raw (one {@code cp} per file is cheap next to them). */
  static final long RAW_MIN = 1L << 20;

  /**
   * How a restore places a file (DVC's {@code cache.type}): {@code auto} reflinks where the file
   * system can and copies elsewhere; {@code copy} always copies; {@code hardlink} links outputs and
   * blobs to one read-only inode (only when the user asks: editing such an output in place would
   * edit the cache).
   */
  public enum Link {
    AUTO,
    COPY,
    HARDLINK;

    /** The value as users write it ({@code --link hardlink}). */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Link> parse(String id) {
      for (Link l : values()) {
        if (l.id().equals(id)) {
          return Optional.of(l);
        }
      }
      return Optional.empty();
    }
  }

  private final Path root;
  private final Link link;
  // Whether `cp --reflink=always` worked here: unknown until the first large file tries it.
  private volatile Boolean reflinks;

  public CacheStore(Path root) {
    this(root, Link.AUTO);
  }

  public CacheStore(Path root, Link link) {
    this.root = root;
    this.link = link;
    this.reflinks = link == Link.AUTO ? null : Boolean.FALSE;
  }

  public Link link() {
    return link;
  }

  public Path root() {
    return root;
  }

  /**
   * One file of a cached output.
   *
   * @param mode the file's permission bits ({@code 0777} mask), or -1 in entries written before
   *     modes were kept
   * @param link the target of a symbolic link as written, or null for a file with content
   */
  record FileEntry(
      String path, long size, boolean executable, String digest, int mode, String link) {}

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
   * The action key ({@link io.lightcone.core.internal.hash.Fingerprint#cacheAction}, with a version
   * tag): the qualified output id, its {@code code_version} and its {@code input_versions}.
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
    return io.lightcone.core.internal.hash.Fingerprint.cacheAction(
        output, codeVersion, codeFiles, inputVersions);
  }

  private Path actionFile(String key) {
    return root.resolve("actions").resolve(key.substring(0, 2)).resolve(key + ".json");
  }

  private Path blobFile(String digest, String extension) {
    return root.resolve("blobs").resolve(digest.substring(0, 2)).resolve(digest + extension);
  }

  /** The blob holding {@code digest}: raw when there is a raw one, else compressed. */
  private Path blobFile(String digest) {
    Path raw = blobFile(digest, RAW);
    return Files.isRegularFile(raw) ? raw : blobFile(digest, ZST);
  }

  static final String RAW = ".raw";
  static final String ZST = ".zst";

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
    long reflinked = 0;
    for (DataVersion.Entry f : DataVersion.list(dir)) {
      if (Files.isSymbolicLink(f.file())) {
        files.add(linkEntry(f.rel(), f.file()));
        continue;
      }
      int mode = mode(f.file());
      Put put = putBlob(f.file(), mode);
      reflinked += put.reflinked() ? f.size() : 0;
      files.add(
          new FileEntry(f.rel(), f.size(), Files.isExecutable(f.file()), put.digest(), mode, null));
    }
    // Links to directories are not part of the data (DESIGN §3), but they are part of the output.
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(p -> Files.isSymbolicLink(p) && Files.isDirectory(p)).toList()) {
        files.add(linkEntry(dir.relativize(p).toString().replace('\\', '/'), p));
      }
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
      if (f.mode() >= 0) {
        m.put("mode", f.mode());
      }
      if (f.link() != null) {
        m.put("link", f.link());
      }
      list.add(m);
    }
    e.put("files", list);
    writeAtomically(actionFile(key), PyJson.indented(e).getBytes(StandardCharsets.UTF_8), true);
    logPlaced(reflinked);
  }

  private static FileEntry linkEntry(String rel, Path link) throws IOException {
    String target = Files.readSymbolicLink(link).toString();
    return new FileEntry(rel, 0, false, "", -1, target);
  }

  /** A blob's digest, and whether it shares its extents with the file it came from. */
  record Put(String digest, boolean reflinked) {}

  /** Puts {@code file}'s content into the store unless it is there; returns its digest. */
  Put putBlob(Path file, int mode) throws IOException {
    Path dir = root.resolve("blobs");
    long size = Files.size(file);
    if (link == Link.HARDLINK) {
      String digest = digest(file);
      // Every file of a hard-linked output is read-only, whether its inode becomes the blob or not.
      Files.setPosixFilePermissions(file, perms(mode & 0555));
      if (!exists(digest)) {
        // The output's own inode becomes the blob.
        Path target = blobFile(digest, RAW);
        Files.createDirectories(target.getParent());
        try {
          Files.createLink(target, file);
        } catch (FileAlreadyExistsException e) {
          // stored by someone else meanwhile
        } catch (IOException | UnsupportedOperationException e) {
          // Another file system (a cache elsewhere): a raw copy, still linkable on restore.
          copyIn(file, digest, mode & 0555, RAW);
        }
      }
      return new Put(digest, false);
    }
    if (size >= RAW_MIN && reflinks != Boolean.FALSE) {
      Path tmp = tempIn(dir, mode & 0444 | 0400);
      try {
        if (reflink(file, tmp)) {
          String digest = digest(tmp);
          if (!exists(digest)) {
            Path target = blobFile(digest, RAW);
            Files.createDirectories(target.getParent());
            moveIntoPlace(tmp, target, false);
          }
          return new Put(digest, true);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    if (size >= RAW_MIN && !compressible(file)) {
      String digest = digest(file);
      if (!exists(digest)) {
        copyIn(file, digest, mode & 0444 | 0400, RAW);
      }
      return new Put(digest, false);
    }
    MessageDigest d = Sha256.newDigest();
    Path tmp = tempIn(dir, mode & 0444 | 0400);
    try {
      // Both streams are resources: if the compressor's close fails (a full disk), the file is
      // still closed, so that deleting it frees its space.
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), d);
          OutputStream raw = Files.newOutputStream(tmp);
          OutputStream out = Compression.compressing(raw, LEVEL)) {
        in.transferTo(out);
      }
      String digest = HexFormat.of().formatHex(d.digest());
      if (!exists(digest)) {
        Path target = blobFile(digest, ZST);
        Files.createDirectories(target.getParent());
        moveIntoPlace(tmp, target, false);
      }
      return new Put(digest, false);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private boolean exists(String digest) {
    return Files.exists(blobFile(digest, RAW)) || Files.exists(blobFile(digest, ZST));
  }

  private void copyIn(Path file, String digest, int mode, String extension) throws IOException {
    Path tmp = tempIn(root.resolve("blobs"), 0600);
    try {
      copy(file, tmp);
      Files.setPosixFilePermissions(tmp, perms(mode));
      Path target = blobFile(digest, extension);
      Files.createDirectories(target.getParent());
      moveIntoPlace(tmp, target, false);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether zstd shrinks the first MiB of {@code file} by at least a tenth. */
  private static boolean compressible(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(1 << 20);
    }
    byte[] packed = Compression.compress(head, 1);
    return packed.length < head.length * 0.9;
  }

  private static String digest(Path file) throws IOException {
    MessageDigest d = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * Clones {@code from} into the existing file {@code to} with {@code cp --reflink=always} (the
   * {@code FICLONE} ioctl; the JDK has no call for it). The first refusal (ext4, tmpfs, two file
   * systems) turns reflinks off for this store: one child process is wasted, once.
   */
  private boolean reflink(Path from, Path to) throws IOException {
    if (reflinks == Boolean.FALSE) {
      return false;
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "cp", "--reflink=always", "--", from.toAbsolutePath().toString(), to.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    int exit;
    try {
      exit = pb.start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while cloning " + from);
    } catch (IOException e) {
      exit = -1; // no cp here
    }
    if (exit != 0) {
      reflinks = Boolean.FALSE;
      return false;
    }
    reflinks = Boolean.TRUE;
    return true;
  }

  /** Copies {@code from} into the existing file {@code to} in the kernel ({@code sendfile}). */
  private static void copy(Path from, Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        done += in.transferTo(done, size - done, out);
      }
    }
  }

  /** How the files of one restore were placed, in bytes. */
  record Placed(long reflinked, long hardlinked, long copied) {}

  /**
   * Writes the files of {@code entry} into the empty directory {@code dir}, each with the mode it
   * was stored with. A blob that is missing fails with an IOException; a damaged one is caught by
   * the caller, which re-hashes the whole tree before trusting it.
   */
  public Placed materialize(Entry entry, Path dir) throws IOException {
    long reflinked = 0;
    long hardlinked = 0;
    long copied = 0;
    List<FileEntry> links = new ArrayList<>();
    for (FileEntry f : entry.files()) {
      Path target = dir.resolve(f.path()).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("cache entry names a path outside its output: " + f.path());
      }
      Files.createDirectories(target.getParent());
      if (f.link() != null) {
        links.add(f);
        continue;
      }
      Path blob = blobFile(f.digest());
      if (!Files.isRegularFile(blob)) {
        throw new IOException("blob " + f.digest() + " is missing");
      }
      int mode = f.mode() >= 0 ? f.mode() : f.executable() ? 0755 : 0644;
      if (blob.toString().endsWith(RAW) && link == Link.HARDLINK) {
        try {
          Files.createLink(target, blob);
          hardlinked += f.size();
          continue;
        } catch (IOException | UnsupportedOperationException e) {
          // another file system: copy
        }
      }
      Files.createFile(target, PosixFilePermissions.asFileAttribute(perms(0600)));
      if (blob.toString().endsWith(RAW)) {
        if (f.size() >= RAW_MIN && reflink(blob, target)) {
          reflinked += f.size();
        } else {
          copy(blob, target);
          copied += f.size();
        }
      } else {
        try (InputStream in = Compression.decompressing(Files.newInputStream(blob));
            OutputStream out = Files.newOutputStream(target)) {
          in.transferTo(out);
        }
        copied += f.size();
      }
      Files.setPosixFilePermissions(target, perms(mode));
    }
    for (FileEntry f : links) {
      Path target = dir.resolve(f.path());
      Path to = Path.of(f.link());
      if (to.isAbsolute() || !target.getParent().resolve(to).normalize().startsWith(dir)) {
        throw new IOException("cache entry holds a link that leaves its output: " + f.path());
      }
      Files.createSymbolicLink(target, to);
    }
    logPlaced(reflinked);
    return new Placed(reflinked, hardlinked, copied);
  }

  /** The permission bits of {@code file} (its {@code 0777} part). */
  static int mode(Path file) throws IOException {
    int m = 0;
    for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
      m |= 1 << (8 - p.ordinal());
    }
    return m;
  }

  static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - p.ordinal()))) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  /** Adds {@code bytes} placed by reflink to {@code log/placed}, for {@code cache stats}. */
  private void logPlaced(long bytes) {
    if (bytes <= 0) {
      return;
    }
    try {
      Path log = root.resolve("log/placed");
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "reflink " + bytes + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // Statistics are a convenience.
    }
  }

  /** Bytes placed by reflink so far, as counted by {@link #logPlaced}. */
  static long reflinked(Path root) throws IOException {
    Path log = root.resolve("log/placed");
    if (!Files.isRegularFile(log)) {
      return 0;
    }
    long total = 0;
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      if (f.length == 2 && f[0].equals("reflink") && f[1].matches("\\d{1,18}")) {
        total += Long.parseLong(f[1]);
      }
    }
    return total;
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
              f.get("digest").asText(),
              f.has("mode") ? f.get("mode").asInt() & 0777 : -1,
              f.has("link") ? f.get("link").asText() : null));
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

  /** A new empty file with {@code mode}, under an unpredictable name in {@code dir}. */
  private static Path tempIn(Path dir, int mode) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(perms(0600)));
    if (mode != 0600) {
      Files.setPosixFilePermissions(tmp, perms(mode | 0200));
    }
    return tmp;
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
