package io.lightcone.core.internal.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Without a sandbox, the files of the project a recipe changed outside its output: a snapshot of
 * every file's modification time and size before the recipe, compared with one after (a time
 * threshold would count files written just before the task). Bounded so that a huge tree costs
 * nothing: it is then not checked, and the caller says so.
 */
final class ProjectWrites {
  /** Directories never reported: outputs, Lightcone's and engines' own state, bytecode caches. */
  static final Set<String> SKIPPED =
      Set.of("results", ".lightcone", ".git", ".snakemake", "__pycache__", ".ipynb_checkpoints");

  /** More entries than this and the project is not checked. */
  static final int MAX_ENTRIES = 20_000;

  private ProjectWrites() {}

  /**
   * The project's files with their modification time and size; empty when it has more than {@link
   * #MAX_ENTRIES} entries.
   */
  static java.util.Optional<Map<String, List<Long>>> snapshot(Path project, Set<Path> ignored)
      throws IOException {
    Path root = project.toAbsolutePath().normalize();
    Map<String, List<Long>> files = new HashMap<>();
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
            if (!ignored.contains(file)) {
              files.put(
                  root.relativize(file).toString().replace('\\', '/'),
                  List.of(attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), attrs.size()));
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
    return tooMany[0] ? java.util.Optional.empty() : java.util.Optional.of(files);
  }

  /** The paths (sorted) that are new in {@code after} or changed since {@code before}. */
  static List<String> changed(Map<String, List<Long>> before, Map<String, List<Long>> after) {
    List<String> changed = new ArrayList<>();
    after.forEach(
        (path, stamp) -> {
          if (!stamp.equals(before.get(path))) {
            changed.add(path);
          }
        });
    changed.sort(null);
    return changed;
  }
}
