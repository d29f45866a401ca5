package io.lightcone.core.internal.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Without a sandbox, the files of the project a recipe changed outside its output: those modified
 * since the task started, found by one walk of the project after the task, bounded so that a huge
 * tree costs nothing (it is then not checked, and the caller says so).
 */
final class ProjectWrites {
  /** Directories never reported: outputs, Lightcone's and engines' own state, bytecode caches. */
  static final Set<String> SKIPPED =
      Set.of("results", ".lightcone", ".git", ".snakemake", "__pycache__", ".ipynb_checkpoints");

  /** More entries than this and the project is not checked. */
  static final int MAX_ENTRIES = 20_000;

  /** Kernel file times come from a coarse clock that may lag the JVM's by a tick. */
  static final long SLACK_MILLIS = 20;

  private ProjectWrites() {}

  /**
   * What a walk found.
   *
   * @param changed project paths (relative, POSIX, sorted) modified since the start
   * @param checked false when the project has more than {@link #MAX_ENTRIES} entries
   */
  record Found(List<String> changed, boolean checked) {}

  static Found since(Path project, long startMillis, Set<Path> ignored) throws IOException {
    Path root = project.toAbsolutePath().normalize();
    long since = startMillis - SLACK_MILLIS;
    List<String> changed = new ArrayList<>();
    int[] entries = {0};
    boolean[] tooMany = {false};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root)
                && (SKIPPED.contains(dir.getFileName().toString()) || ignored.contains(dir))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return count();
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.lastModifiedTime().toMillis() >= since && !ignored.contains(file)) {
              changed.add(root.relativize(file).toString().replace('\\', '/'));
            }
            return count();
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: not ours to report
          }

          private FileVisitResult count() {
            if (++entries[0] > MAX_ENTRIES) {
              tooMany[0] = true;
              return FileVisitResult.TERMINATE;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    if (tooMany[0]) {
      return new Found(List.of(), false);
    }
    changed.sort(null);
    return new Found(changed, true);
  }
}
