package io.lightcone.core.internal.hash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code data_version} of an output directory (DESIGN §3): SHA-256 of one stream that holds, for
 * every regular file under the directory in Unicode code-point order of its relative POSIX path,
 * {@code "path:" + rel + "\0" + "data:" + bytes + "\0"}. The labels and the NUL after the path make
 * the framing prefix-free (a name cannot run into its content, nor one file into the next, because
 * a path never contains NUL). Mode, mtime and empty directories are not hashed.
 *
 * <p>Small files are read ahead by worker threads, in order, so that many small files cost no more
 * than their bytes; large files are streamed, never held in memory whole.
 */
public final class DataVersion {
  /** Files skipped at any depth: the manifest itself and Snakemake's marker. */
  public static final Set<String> SKIPPED =
      Set.of(".lightcone-manifest.json", ".snakemake_timestamp");

  /** Files up to this size are read ahead whole; larger ones are streamed. */
  static final int READ_AHEAD_MAX = 1 << 20;

  /** How many files may be read ahead of the digest (bounds memory to 64 MiB). */
  static final int WINDOW = 64;

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
    List<Entry> files = list(dir);
    MessageDigest digest = Sha256.newDigest();
    long[] sizes = new long[files.size()];
    if (threads <= 1 || files.size() < 8) {
      byte[] buffer = new byte[256 * 1024];
      for (int i = 0; i < files.size(); i++) {
        frame(digest, files.get(i));
        sizes[i] = stream(digest, files.get(i).file(), buffer);
        digest.update(NUL);
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads, DataVersion::daemon);
      try {
        hashAhead(digest, files, sizes, pool);
      } finally {
        pool.shutdownNow();
      }
    }
    MessageDigest tree = Sha256.newDigest();
    for (int i = 0; i < files.size(); i++) {
      tree.update(PATH);
      tree.update(files.get(i).rel().getBytes(StandardCharsets.UTF_8));
      tree.update(NUL);
      tree.update(("size:" + sizes[i]).getBytes(StandardCharsets.US_ASCII));
      tree.update(NUL);
    }
    return new Versions(Sha256.finish(digest), Sha256.finish(tree));
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "lightcone-hash");
    t.setDaemon(true);
    return t;
  }

  private static void hashAhead(
      MessageDigest digest, List<Entry> files, long[] sizes, ExecutorService pool)
      throws IOException {
    Deque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
    int next = 0;
    byte[] buffer = new byte[256 * 1024];
    for (int at = 0; at < files.size(); at++) {
      Entry e = files.get(at);
      while (next < files.size() && ahead.size() < WINDOW) {
        Entry n = files.get(next++);
        ahead.add(
            n.size() <= READ_AHEAD_MAX
                ? CompletableFuture.supplyAsync(() -> readSmall(n.file()), pool)
                : CompletableFuture.completedFuture(null));
      }
      byte[] content;
      try {
        content = ahead.removeFirst().join();
      } catch (CompletionException failed) {
        if (failed.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        throw failed;
      }
      frame(digest, e);
      if (content == null || content.length > READ_AHEAD_MAX) {
        // A large file, or one that grew since it was listed: stream it now.
        sizes[at] = stream(digest, e.file(), buffer);
      } else {
        digest.update(content);
        sizes[at] = content.length;
      }
      digest.update(NUL);
    }
  }

  private static byte[] readSmall(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(READ_AHEAD_MAX + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void frame(MessageDigest digest, Entry e) {
    digest.update(PATH);
    digest.update(e.rel().getBytes(StandardCharsets.UTF_8));
    digest.update(NUL);
    digest.update(DATA);
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
   * are not followed; a dangling link is an error, since its data cannot be read.
   */
  public static List<Entry> list(Path dir) throws IOException {
    List<Entry> out = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (SKIPPED.contains(file.getFileName().toString())) {
              return FileVisitResult.CONTINUE;
            }
            long size;
            if (attrs.isSymbolicLink()) {
              if (Files.isDirectory(file)) {
                return FileVisitResult.CONTINUE;
              }
              if (!Files.isRegularFile(file)) {
                if (!Files.exists(file)) {
                  throw new IOException(
                      "dangling symbolic link " + file + " → " + Files.readSymbolicLink(file));
                }
                return FileVisitResult.CONTINUE;
              }
              size = Files.size(file);
            } else if (attrs.isRegularFile()) {
              size = attrs.size();
            } else {
              return FileVisitResult.CONTINUE; // sockets, fifos, devices hold no data to hash
            }
            String rel = relative(dir, file);
            out.add(new Entry(mayBeMisdecoded(rel) ? utf8Relative(dir, file) : rel, file, size));
            return FileVisitResult.CONTINUE;
          }
        });
    out.sort((a, b) -> PyJson.CODE_POINT_ORDER.compare(a.rel(), b.rel()));
    return out;
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

  static String relative(Path dir, Path file) {
    Path rel = dir.relativize(file);
    StringBuilder s = new StringBuilder();
    for (Path part : rel) {
      if (s.length() > 0) {
        s.append('/');
      }
      s.append(part);
    }
    return s.toString();
  }
}
