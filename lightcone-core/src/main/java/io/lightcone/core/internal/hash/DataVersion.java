package io.lightcone.core.internal.hash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;

/**
 * {@code data_version} of an output directory (DESIGN §3): SHA-256 of one stream that holds, for
 * every regular file under the directory in Unicode code-point order of its relative POSIX path,
 * {@code "path:" + rel + "\0" + "data:" + bytes + "\0"}. The labels and the NUL after the path make
 * the framing prefix-free (a name cannot run into its content, nor one file into the next, because
 * a path never contains NUL). Mode, mtime and empty directories are not hashed.
 *
 * <p>With more than one thread, the tree is listed in order and its small files are read ahead in
 * batches by worker threads while the caller's thread feeds the digest, so that many small files
 * cost little more than hashing their bytes; large files are streamed, never held in memory whole.
 */
public final class DataVersion {
  /** Files skipped at any depth: the manifest itself and Snakemake's marker. */
  static final Set<String> SKIPPED = Set.of(".lightcone-manifest.json", ".snakemake_timestamp");

  /** Trees of fewer files are hashed on the caller's thread alone. */
  static final int SEQUENTIAL_MAX = 8;

  /** Files up to this size are read ahead whole; larger ones are streamed. */
  static final int READ_AHEAD_MAX = 1 << 20;

  /** How many bytes may be read ahead of the digest. */
  static final long WINDOW = 8L << 20;

  /** A read-ahead task reads up to this many files, or this many bytes (but at least one file). */
  static final int BATCH_FILES = 32;

  static final int BATCH_BYTES = 512 << 10;

  private static final byte[] PATH = "path:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NUL = {0};

  private DataVersion() {}

  /** One file to hash: its path for the stream, where to read it, and its size when listed. */
  public record Entry(String rel, Path file, long size) {}

  /**
   * Both versions of a directory.
   *
   * @param dataVersion the compatible {@code data_version}
   * @param treeVersion SHA-256 over {@code "path:" + rel + "\0size:" + bytes + "\0"} per file, in
   *     the same order. The {@code data_version} stream is ambiguous when content holds NUL framing
   *     (two files can hash like one); with every path and size fixed by this digest, the stream
   *     splits one way only, so the pair identifies the tree. It costs no extra read.
   */
  public record Versions(String dataVersion, String treeVersion) {}

  /** {@code data_version} of {@code dir}, reading ahead with {@code threads} threads. */
  public static String of(Path dir, int threads) throws IOException {
    return versions(dir, threads).dataVersion();
  }

  /** Both versions of {@code dir} in one pass over its bytes. */
  public static Versions versions(Path dir, int threads) throws IOException {
    MessageDigest data = Sha256.newDigest();
    MessageDigest tree = Sha256.newDigest();
    Buffer buffer = new Buffer();
    // Most outputs hold a few files: those are hashed here, without starting a thread.
    Walker walker = new Walker(dir);
    List<Entry> first = new ArrayList<>();
    for (Entry e; first.size() < SEQUENTIAL_MAX && (e = walker.next()) != null; ) {
      first.add(e);
    }
    if (threads <= 1 || first.size() < SEQUENTIAL_MAX) {
      for (Entry e = next(first, walker); e != null; e = next(first, walker)) {
        frame(data, e);
        long size = stream(data, e.file(), buffer.forSize(e.size()));
        data.update(NUL);
        frameSize(tree, e, size);
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads, DataVersion::daemon);
      try {
        hashAhead(first, walker, data, tree, pool, buffer);
      } finally {
        pool.shutdownNow();
      }
    }
    return new Versions(Sha256.finish(data), Sha256.finish(tree));
  }

  /**
   * The buffer large files are streamed through: made on first use, no larger than the files need
   * (zeroing 256 KiB for an output of a few bytes was a cost per task).
   */
  private static final class Buffer {
    private static final int MAX = 256 * 1024;
    private byte[] bytes = new byte[0];

    byte[] forSize(long size) {
      if (bytes.length < MAX && bytes.length <= size) {
        bytes = new byte[(int) Math.min(MAX, Math.max(8192, size + 1))];
      }
      return bytes;
    }
  }

  /** The files listed first, then those the walker finds. */
  private static Entry next(List<Entry> first, Walker walker) throws IOException {
    return first.isEmpty() ? walker.next() : first.remove(0);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "lightcone-hash");
    t.setDaemon(true);
    return t;
  }

  /**
   * Hashes the files of {@code dir} while {@code pool} lists them, in order, and reads the small
   * ones ahead. The digest is one sequential stream, so this thread does nothing but feed it: the
   * listing and the reads happen on the pool meanwhile. Files are read in batches (a task costs
   * more than reading a small file), at most {@link #WINDOW} bytes ahead of the digest. When the
   * digest reaches a batch no reader has started, this thread reads it itself rather than wait.
   */
  private static void hashAhead(
      List<Entry> first,
      Walker walker,
      MessageDigest data,
      MessageDigest tree,
      ExecutorService pool,
      Buffer buffer)
      throws IOException {
    BlockingQueue<Batch> ahead = new ArrayBlockingQueue<>((int) (WINDOW / BATCH_BYTES));
    pool.execute(() -> Batch.produce(first, walker, ahead, pool));
    while (true) {
      Batch b;
      try {
        b = ahead.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing");
      }
      if (b.files == null) {
        b.rethrow();
        return;
      }
      byte[][] contents = b.contents();
      for (int i = 0; i < b.files.size(); i++) {
        Entry e = b.files.get(i);
        byte[] content = contents == null ? null : contents[i];
        frame(data, e);
        long size;
        if (content == null) {
          // A large file, or one that grew since it was listed: stream it now.
          size = stream(data, e.file(), buffer.forSize(e.size()));
        } else {
          data.update(content);
          size = content.length;
        }
        data.update(NUL);
        frameSize(tree, e, size);
      }
    }
  }

  /**
   * Consecutive files read by one task; or one large file, left to the digest to stream; or, with
   * no files, the end of the listing and how it failed, if it did.
   */
  private static final class Batch {
    final List<Entry> files;
    final FutureTask<byte[][]> read;
    final Throwable failure;

    private Batch(List<Entry> files, FutureTask<byte[][]> read, Throwable failure) {
      this.files = files;
      this.read = read;
      this.failure = failure;
    }

    /**
     * Puts {@code first}, then the files {@code walker} finds, on {@code ahead} in batches, each
     * read by {@code pool}; then the end.
     */
    static void produce(
        List<Entry> first, Walker walker, BlockingQueue<Batch> ahead, ExecutorService pool) {
      List<Entry> pending = new ArrayList<>();
      long pendingBytes = 0;
      Throwable failure = null;
      try {
        for (Entry e = next(first, walker); e != null; e = next(first, walker)) {
          boolean large = e.size() > READ_AHEAD_MAX;
          if (!pending.isEmpty()
              && (large
                  || pending.size() == BATCH_FILES
                  || pendingBytes + e.size() > BATCH_BYTES)) {
            ahead.put(read(List.copyOf(pending), pool));
            pending.clear();
            pendingBytes = 0;
          }
          if (large) {
            ahead.put(new Batch(List.of(e), null, null));
          } else {
            pending.add(e);
            pendingBytes += e.size();
          }
        }
        if (!pending.isEmpty()) {
          ahead.put(read(List.copyOf(pending), pool));
        }
      } catch (InterruptedException e) {
        return; // the digest gave up
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
      }
      try {
        ahead.put(new Batch(null, null, failure));
      } catch (InterruptedException e) {
        // the digest gave up
      }
    }

    private static Batch read(List<Entry> files, ExecutorService pool) {
      FutureTask<byte[][]> read = new FutureTask<>(() -> readAll(files));
      pool.execute(read);
      return new Batch(files, read, null);
    }

    /** The batch's contents (an element is null for a file to stream), or null to stream all. */
    byte[][] contents() throws IOException {
      if (read == null) {
        return null;
      }
      read.run(); // reads here unless a reader has started it; then waits for that reader
      try {
        return read.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing");
      } catch (ExecutionException e) {
        return rethrow(e.getCause());
      }
    }

    void rethrow() throws IOException {
      if (failure != null) {
        rethrow(failure);
      }
    }

    private static <T> T rethrow(Throwable t) throws IOException {
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(t);
    }
  }

  private static byte[][] readAll(List<Entry> batch) throws IOException {
    byte[][] contents = new byte[batch.size()][];
    for (int i = 0; i < contents.length; i++) {
      contents[i] = readSmall(batch.get(i).file());
    }
    return contents;
  }

  /** The whole file, or null when it has grown past {@link #READ_AHEAD_MAX}. */
  private static byte[] readSmall(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file)) {
      long size = in.size();
      if (size > READ_AHEAD_MAX) {
        return null;
      }
      ByteBuffer content = ByteBuffer.allocate((int) size);
      while (content.hasRemaining() && in.read(content) >= 0) {
        // until full or at the end
      }
      if (content.hasRemaining()) { // it shrank while being read
        return Arrays.copyOf(content.array(), content.position());
      }
      return in.read(ByteBuffer.allocate(1)) > 0 ? null : content.array(); // grown: stream it
    }
  }

  private static void frame(MessageDigest digest, Entry e) {
    digest.update(PATH);
    digest.update(e.rel().getBytes(StandardCharsets.UTF_8));
    digest.update(NUL);
    digest.update(DATA);
  }

  private static void frameSize(MessageDigest tree, Entry e, long size) {
    tree.update(PATH);
    tree.update(e.rel().getBytes(StandardCharsets.UTF_8));
    tree.update(NUL);
    tree.update(("size:" + size).getBytes(StandardCharsets.US_ASCII));
    tree.update(NUL);
  }

  private static long stream(MessageDigest digest, Path file, byte[] buffer) throws IOException {
    long total = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        total += n;
      }
    }
    return total;
  }

  /**
   * The files that make up {@code dir}'s data, sorted: regular files and symbolic links to regular
   * files (hashed with their target's bytes under the link's name); symbolic links to directories
   * are not followed (except {@code dir} itself, as in Python's {@code os.walk}); a dangling link
   * is an error, since its data cannot be read.
   */
  public static List<Entry> list(Path dir) throws IOException {
    List<Entry> out = new ArrayList<>();
    Walker walker = new Walker(dir);
    for (Entry e = walker.next(); e != null; e = walker.next()) {
      out.add(e);
    }
    return out;
  }

  /**
   * The files of {@link #list} in order, found one directory at a time rather than sorted at the
   * end, so that hashing can start before the listing is done. Each directory's entries are sorted
   * with a directory keyed as its name plus {@code "/"}: every path under it starts with that key,
   * which a sibling's name (no {@code "/"} in it) can neither equal nor extend, so the sibling
   * sorts before or after all of them, as in the order of whole paths.
   */
  private static final class Walker {
    private record Child(String key, Path path, long size) {}

    private record Level(String prefix, Iterator<Child> children) {}

    private final Path root;
    private final Deque<Level> stack = new ArrayDeque<>();

    Walker(Path root) throws IOException {
      this.root = root;
      stack.push(new Level("", children(root)));
    }

    /** The next file, or null after the last. */
    Entry next() throws IOException {
      while (!stack.isEmpty()) {
        Level top = stack.peek();
        if (!top.children().hasNext()) {
          stack.pop();
          continue;
        }
        Child c = top.children().next();
        if (c.size() >= 0) {
          return new Entry(top.prefix() + c.key(), c.path(), c.size());
        }
        stack.push(new Level(top.prefix() + c.key(), children(c.path())));
      }
      return null;
    }

    private Iterator<Child> children(Path dir) throws IOException {
      List<Child> children = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path child : entries) {
          String name = child.getFileName().toString();
          BasicFileAttributes attrs =
              Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (mayBeMisdecoded(name)) {
            // The URI of a directory ends in "/"; the name is the last segment before it.
            String rel = utf8Relative(root, child);
            rel = rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel;
            name = rel.substring(rel.lastIndexOf('/') + 1);
          }
          if (attrs.isDirectory()) {
            children.add(new Child(name + "/", child, -1));
          } else if (!SKIPPED.contains(name)) {
            long size = fileSize(child, attrs);
            if (size >= 0) {
              children.add(new Child(name, child, size));
            }
          }
        }
      } catch (DirectoryIteratorException e) {
        throw e.getCause();
      }
      children.sort((a, b) -> PyJson.CODE_POINT_ORDER.compare(a.key(), b.key()));
      return children.iterator();
    }
  }

  /** The size of the data a non-directory holds, or -1 when it holds none to hash. */
  private static long fileSize(Path file, BasicFileAttributes attrs) throws IOException {
    if (attrs.isRegularFile()) {
      return attrs.size();
    }
    if (!attrs.isSymbolicLink() || Files.isDirectory(file)) {
      return -1; // sockets, fifos, devices; links to directories are not descended
    }
    if (!Files.isRegularFile(file)) {
      if (!Files.exists(file)) {
        throw new IOException(
            "dangling symbolic link " + file + " → " + Files.readSymbolicLink(file));
      }
      return -1;
    }
    return Files.size(file);
  }

  /**
   * Whether this JVM decodes file names as UTF-8. Java 17 takes the file-name charset from the
   * locale it started in; under {@code C} or an unset {@code LANG} (containers, cron, batch jobs) a
   * UTF-8 name decodes to U+FFFD, which would be hashed instead of the name.
   */
  private static final boolean UTF8_NAMES = utf8Names();

  private static boolean utf8Names() {
    try {
      return Path.of("\u00e9").toUri().getRawPath().endsWith("/%C3%A9");
    } catch (InvalidPathException e) {
      return false; // the locale's charset cannot even spell é
    }
  }

  /** Whether {@code rel} as decoded by this JVM may differ from the UTF-8 name on disk. */
  private static boolean mayBeMisdecoded(String rel) {
    for (int i = 0; i < rel.length(); i++) {
      char c = rel.charAt(i);
      if (UTF8_NAMES ? c == '\ufffd' : c > 0x7f) {
        return true;
      }
    }
    return false;
  }

  /**
   * The relative path decoded as UTF-8 from the bytes on disk, which a {@code file:} URI holds
   * percent-encoded (the one public view of them). A name that is not UTF-8 is an error, as in
   * Python, rather than a hash of replacement characters.
   */
  static String utf8Relative(Path dir, Path file) throws IOException {
    String base = dir.toUri().getRawPath();
    String full = file.toUri().getRawPath();
    String tail = full.substring(base.endsWith("/") ? base.length() : base.length() + 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < tail.length(); i++) {
      char c = tail.charAt(i);
      if (c == '%') {
        bytes.write(HexFormat.fromHexDigits(tail, i + 1, i + 3));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("file name is not UTF-8, so it has no data_version: " + file, e);
    }
  }
}
