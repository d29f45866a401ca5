package io.lightcone.core.internal.run;

import io.lightcone.core.internal.manifest.ManifestStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Staging directories and atomic publication. A recipe writes into {@code .<name>.staging-*} beside
 * the output; on success the old output moves aside ({@code .<name>.old-*}), the staged one moves
 * into place, and the old one is deleted — renames within one directory, so a reader sees the old
 * complete output or the new complete one. A run killed in between is repaired by {@link #recover}:
 * leftovers of staging are removed, and an old output whose replacement never arrived is put back.
 */
public final class Publisher {
  private Publisher() {}

  /** A staging directory's owner may be on another host: left alone this long. */
  private static final java.time.Duration FOREIGN_STAGING_AGE = java.time.Duration.ofDays(7);

  /**
   * A new staging directory beside {@code output}, named for the process that owns it ({@code
   * .<name>.staging-<random>@<host>@<pid>@<start>}), so that a repair never takes it from a task
   * still at work: a detached SLURM job publishes while no run holds the project's lock.
   */
  static Path stage(Path output, String host) throws IOException {
    Files.createDirectories(output.getParent());
    Path staging =
        output.resolveSibling(
            "."
                + output.getFileName()
                + ".staging-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "@"
                + safeHost(host)
                + "@"
                + SELF);
    return Files.createDirectory(staging);
  }

  /**
   * This process as a staging directory names its owner, {@code <pid>@<start>}: read once (from
   * {@code /proc}), since neither changes while the process lives.
   */
  private static final String SELF = self();

  private static String self() {
    ProcessHandle self = ProcessHandle.current();
    return self.pid()
        + "@"
        + self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  private static final java.util.regex.Pattern UNSAFE_IN_HOST =
      java.util.regex.Pattern.compile("[^A-Za-z0-9._-]");

  private static String safeHost(String host) {
    return UNSAFE_IN_HOST.matcher(host).replaceAll("_");
  }

  /**
   * Whether the process that made {@code staging} may still be writing it: on this host, when that
   * process is alive (same pid and start time); on another host, for a week after its last change.
   * Directories of the older, unowned form are never live.
   */
  static boolean mayBeLive(Path staging, String host) throws IOException {
    String name = staging.getFileName().toString();
    String[] owner = name.substring(name.lastIndexOf(".staging-") + 9).split("@");
    if (owner.length != 4) {
      return false;
    }
    if (!owner[1].equals(safeHost(host))) {
      java.time.Instant changed = Files.getLastModifiedTime(staging).toInstant();
      return changed.plus(FOREIGN_STAGING_AGE).isAfter(java.time.Instant.now());
    }
    try {
      long pid = Long.parseLong(owner[2]);
      long start = Long.parseLong(owner[3]);
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .flatMap(h -> h.info().startInstant())
          .map(i -> i.toEpochMilli() == start)
          .orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static void publish(Path staging, Path output) throws IOException {
    Path parent = output.getParent();
    if (Files.exists(output)) {
      Path old =
          output.resolveSibling(
              "." + output.getFileName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
      Files.move(output, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
      ManifestStore.syncDirectory(parent);
      deleteTree(old);
    } else {
      Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
      ManifestStore.syncDirectory(parent);
    }
  }

  /**
   * Repairs what a killed run left in the directories that hold {@code outputs} (see class
   * comment). Each directory is listed once, however many outputs it holds.
   */
  static void recover(java.util.Collection<Path> outputs, String host) throws IOException {
    java.util.Set<Path> parents = new java.util.LinkedHashSet<>();
    outputs.forEach(o -> parents.add(o.getParent()));
    for (Path parent : parents) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, ".*")) {
        for (Path p : s) {
          String n = p.getFileName().toString();
          int staging = n.lastIndexOf(".staging-");
          int old = n.lastIndexOf(".old-");
          if (staging > 0) {
            if (!mayBeLive(p, host)) {
              deleteTree(p);
            }
          } else if (old > 0) {
            Path output = parent.resolve(n.substring(1, old));
            if (Files.exists(output)) {
              deleteTree(p);
            } else {
              Files.move(p, output, StandardCopyOption.ATOMIC_MOVE);
            }
          }
        }
      }
    }
  }

  /**
   * Repairs leftovers of a killed run before a reader (status, verify, plan) looks, but only when
   * no run holds the project's lock: then a {@code .<name>.old-*} beside a missing output is
   * certainly the previous output of a run killed between its two renames, never a publication in
   * progress. Without this, a reader right after the kill would see the output missing.
   */
  public static void repairIfIdle(Path project, java.util.Collection<Path> outputs, String host) {
    if (!Files.isDirectory(project.resolve(".lightcone"))) {
      return; // nothing ever ran here
    }
    RunLock lock;
    try {
      lock = RunLock.acquire(project);
    } catch (io.lightcone.LightconeException busyOrReadOnly) {
      return; // a run is at work (its own lock-time repair covers this), or we may not write
    }
    try (lock) {
      recover(outputs, host);
    } catch (IOException e) {
      // The reader still reports what it sees.
    }
  }

  /**
   * Makes what a recipe wrote under {@code staging} durable before a manifest claims it: every
   * regular file is synced, then every directory below {@code staging} (its entries); {@code
   * staging} itself is synced with the manifest it receives. Symbolic links are not followed.
   */
  static void syncTree(Path staging) throws IOException {
    Files.walkFileTree(
        staging,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              force(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            if (!dir.equals(staging)) {
              force(dir);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void force(Path path) throws IOException {
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** {@link #deleteTree}, on a path where a failure is already being reported. */
  static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException e) {
      // The next run's recovery removes what is left of a staging directory.
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
