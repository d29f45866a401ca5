package io.lightcone.core.internal.manifest;

import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.core.internal.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes {@code .lightcone-manifest.json}. Writing goes through a temporary file in the
 * same directory, fsync, then an atomic rename, so a reader sees the old manifest or the new one,
 * never half of one. A permission error is an error, never taken for "missing".
 */
public final class ManifestStore {
  public static final String FILE = ".lightcone-manifest.json";

  /**
   * The largest manifest read. A manifest is a few KB; whatever lies past this bound is not read,
   * so one padded file cannot exhaust the heap of a command that reads every manifest.
   */
  static final long MAX_BYTES = 16L << 20;

  private ManifestStore() {}

  /** What was found where a manifest should be. */
  public sealed interface Read permits Missing, Invalid, Present {}

  public record Missing() implements Read {}

  /**
   * @param reason why the file is not a manifest (not JSON, a field missing, ...)
   */
  public record Invalid(String reason) implements Read {}

  public record Present(Manifest manifest) implements Read {}

  /**
   * What {@link #read} found, and the text it parsed when it found a manifest.
   *
   * @param text the manifest's text when {@code read} is {@link Present}, else empty
   */
  public record Loaded(Read read, Optional<String> text) {}

  public static Read read(Path outputDir) {
    return load(outputDir).read();
  }

  /**
   * As {@link #read}, with the text: a signature is checked on the bytes that were parsed, and the
   * file is read once for both.
   */
  public static Loaded load(Path outputDir) {
    Path file = outputDir.resolve(FILE);
    // A stat, far cheaper than the exception below for the common case. notExists, not
    // !exists: exists is also false when stat fails (permission denied, a link loop), and a
    // manifest we cannot read must be an error, never Missing.
    if (Files.notExists(file)) {
      return new Loaded(new Missing(), Optional.empty());
    }
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      // Reported per output like a torn manifest, never an error for the whole command; a FIFO
      // would block the read forever, and a huge file would take the heap with it.
      if (attributes.isDirectory()) {
        return new Loaded(new Invalid("it is a directory, not a file"), Optional.empty());
      }
      if (!attributes.isRegularFile()) {
        return new Loaded(new Invalid("it is not a regular file"), Optional.empty());
      }
      if (attributes.size() > MAX_BYTES) {
        return new Loaded(new Invalid(tooLarge(attributes.size())), Optional.empty());
      }
      bytes = readAtMost(file, MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        return new Loaded(new Invalid(tooLarge(bytes.length)), Optional.empty());
      }
    } catch (NoSuchFileException e) {
      return new Loaded(new Missing(), Optional.empty());
    } catch (AccessDeniedException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot read " + file + ": permission denied; fix its permissions",
          e);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot read " + file + ": " + IoMessages.plain(e),
          e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new Loaded(new Invalid("not UTF-8 text"), Optional.empty());
    }
    ManifestCodec.Parsed parsed = ManifestCodec.parse(text);
    return parsed instanceof ManifestCodec.Valid v
        ? new Loaded(new Present(v.manifest()), Optional.of(text))
        : new Loaded(new Invalid(((ManifestCodec.Invalid) parsed).reason()), Optional.empty());
  }

  private static String tooLarge(long size) {
    return "it is "
        + size
        + " bytes, larger than any manifest ("
        + (MAX_BYTES >> 20)
        + " MiB at most)";
  }

  /** At most {@code limit} bytes of {@code file}, whatever its size grows to while it is read. */
  static byte[] readAtMost(Path file, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
    }
  }

  /**
   * The text of {@code outputDir}'s manifest as {@link #read} bounds it, for a check of its
   * signature; empty when there is no regular file of at most {@link #MAX_BYTES} there.
   */
  public static Optional<String> text(Path outputDir) throws IOException {
    Path file = outputDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    byte[] bytes = readAtMost(file, MAX_BYTES + 1);
    return bytes.length > MAX_BYTES
        ? Optional.empty()
        : Optional.of(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The bytes of {@code m}'s file: signed by {@code key} when there is one (the one place). */
  static byte[] bytes(Manifest m, Optional<SigningKey> key) {
    // Signed from the map the text is written from: the same bytes as signing the text, without
    // parsing back what was just written.
    String text =
        key.isPresent()
            ? ManifestSignature.sign(ManifestCodec.tree(m), key.get())
            : ManifestCodec.write(m);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@code m} into {@code dir} atomically and durably. */
  static void write(Path dir, Manifest m) throws IOException {
    write(dir, m, Optional.empty());
  }

  /** Writes {@code m}, signed by {@code key} when present, into {@code dir} atomically. */
  public static void write(Path dir, Manifest m, Optional<SigningKey> key) throws IOException {
    byte[] bytes = bytes(m, key);
    Path tmp = dir.resolve(FILE + ".tmp-" + UUID.randomUUID());
    try {
      writeNew(tmp, bytes);
      Files.move(
          tmp,
          dir.resolve(FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code m} durably into {@code staging}, a directory no reader looks into before it is
   * published: the manifest is written in place (no temporary file and rename), then the file and
   * the directory are synced. A manifest the recipe left there is replaced as {@link #write} does.
   */
  static void writeInStaging(Path staging, Manifest m) throws IOException {
    writeInStaging(staging, m, Optional.empty());
  }

  /** As {@link #writeInStaging(Path, Manifest)}, signed by {@code key} when present. */
  public static void writeInStaging(Path staging, Manifest m, Optional<SigningKey> key)
      throws IOException {
    Path file = staging.resolve(FILE);
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      write(staging, m, key);
      return;
    }
    writeNew(file, bytes(m, key));
    syncDirectory(staging);
  }

  /** Creates {@code file} (it must not exist) with {@code bytes}, synced to disk. */
  public static void writeNew(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Makes a rename in {@code dir} durable (on Linux a directory can be opened and fsynced). */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be opened; the rename itself is still atomic.
    }
  }
}
