package io.lightcone.core.internal.export;

import io.lightcone.core.internal.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of a crate being staged: each copied once, synced to disk, with its size and SHA-256
 * taken from the bytes as they were written.
 */
final class CrateFiles {
  /** One file of the crate: its size and the hex SHA-256 of its bytes. */
  record Copied(long size, String sha256) {}

  private final Path staging;
  private final Map<String, Copied> files = new TreeMap<>();

  CrateFiles(Path staging) {
    this.staging = staging;
  }

  /** Every file staged so far, by crate-relative POSIX path, sorted. */
  Map<String, Copied> all() {
    return files;
  }

  boolean has(String rel) {
    return files.containsKey(rel);
  }

  Path staged(String rel) {
    return staging.resolve(rel);
  }

  /**
   * Copies {@code source} to {@code rel} in the crate; keeps its mtime when {@code keepTime} (an
   * input's version may be its mtime and size).
   */
  Copied copy(Path source, String rel, boolean keepTime) throws IOException {
    Copied known = files.get(rel);
    if (known != null) {
      return known;
    }
    Path target = staging.resolve(rel);
    Files.createDirectories(target.getParent());
    MessageDigest digest = Sha256.newDigest();
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
        FileChannel channel =
            FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = Channels.newOutputStream(channel);
      size = in.transferTo(out);
      channel.force(true);
    }
    if (Files.isExecutable(source)) {
      target.toFile().setExecutable(true, false);
    }
    if (keepTime) {
      FileTime mtime = Files.getLastModifiedTime(source);
      Files.setLastModifiedTime(target, mtime);
    }
    Copied copied = new Copied(size, hex(digest));
    files.put(rel, copied);
    return copied;
  }

  /** Writes {@code bytes} to {@code rel} in the crate. */
  Copied write(String rel, byte[] bytes) throws IOException {
    Path target = staging.resolve(rel);
    Files.createDirectories(target.getParent());
    try (FileChannel channel =
        FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Channels.newOutputStream(channel).write(bytes);
      channel.force(true);
    }
    MessageDigest digest = Sha256.newDigest();
    digest.update(bytes);
    Copied copied = new Copied(bytes.length, hex(digest));
    files.put(rel, copied);
    return copied;
  }

  /** Copies every regular file under {@code dir} (symlinked directories not descended). */
  Map<String, Copied> copyTree(Path root, Path dir, boolean keepTime) throws IOException {
    Map<String, Copied> copied = new TreeMap<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return !d.equals(dir) && Files.isSymbolicLink(d)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // Snakemake's marker is bookkeeping, not data (data_version skips it too).
            if (Files.isRegularFile(file)
                && !file.getFileName().toString().equals(".snakemake_timestamp")
                && realInside(root, file)) {
              String rel = relative(root, file);
              copied.put(rel, copy(file, rel, keepTime));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return copied;
  }

  /**
   * Whether {@code p}, with every symbolic link on its way resolved, is inside {@code root}: a link
   * in the project to a file outside it (someone's {@code ~/.ssh/id_rsa}, {@code /etc/shadow}) is
   * never exported (docs/security.md).
   */
  static boolean realInside(Path root, Path p) {
    try {
      return p.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false; // dangling or unreadable: nothing to ship
    }
  }

  static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
  }

  static boolean isDirectory(Path p) {
    return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p);
  }

  private static String hex(MessageDigest digest) {
    return Sha256.finish(digest).substring(Sha256.PREFIX.length());
  }
}
