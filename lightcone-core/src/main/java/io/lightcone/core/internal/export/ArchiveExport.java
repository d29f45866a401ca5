package io.lightcone.core.internal.export;

import io.lightcone.Task;
import io.lightcone.TaskInput;
import io.lightcone.core.internal.Compression;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.model.ResolvedUniverse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code lc export archive}: the spec, the selected universes, the project's own input files and
 * the selected universes' results with their manifests, as one zstd-compressed POSIX (pax) tar
 * ({@link TarWriter}).
 *
 * <p>Two exports of the same state are byte-identical: entries are sorted by path, owners are root
 * with no names, and every mtime is fixed — except the input files', whose mtime is their {@code
 * input_versions} ({@code mtime-size:<ns>-<size>}) and so must survive, to the nanosecond, for
 * {@code status} to call the outputs ok after unpacking.
 */
public final class ArchiveExport {
  /** The mtime, in ns, of everything whose mtime nothing depends on. */
  private static final long FIXED = 0;

  private ArchiveExport() {}

  /** One archived path: where it comes from, and whether its mtime must be kept. */
  private record Item(Path source, boolean directory, boolean keepTime) {}

  /** Writes the archive of {@code universes} to {@code file}, atomically; returns the entries. */
  public static List<String> write(ProjectState state, List<ResolvedUniverse> universes, Path file)
      throws IOException {
    Path root = state.directory().toAbsolutePath().normalize();
    Map<String, Item> items = new TreeMap<>();
    for (Path analysis : state.loaded().analysisFiles()) {
      addFile(root, root.resolve(analysis), false, items);
    }
    for (ResolvedUniverse u : universes) {
      for (Path universe : state.loaded().universeFiles().getOrDefault(u.id().value(), List.of())) {
        addFile(root, root.resolve(universe), false, items);
      }
      for (Task task : state.tasks(u)) {
        for (TaskInput input : task.inputs()) {
          if (!input.isOutput() && !input.path().contains("://")) {
            addTree(root, root.resolve(input.path()), true, items);
          }
        }
        addTree(root, root.resolve(task.outputDir()), false, items);
      }
    }
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID() + "-" + target.getFileName());
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
          OutputStream zstd = Compression.compressing(out, 10);
          TarWriter tar = new TarWriter(zstd)) {
        for (Map.Entry<String, Item> e : items.entrySet()) {
          put(tar, e.getKey(), e.getValue());
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return List.copyOf(items.keySet());
  }

  private static void put(TarWriter tar, String name, Item item) throws IOException {
    if (item.directory()) {
      tar.directory(name, 0755, FIXED);
      return;
    }
    long mtime =
        item.keepTime() ? Files.getLastModifiedTime(item.source()).to(TimeUnit.NANOSECONDS) : FIXED;
    try (InputStream in = Files.newInputStream(item.source())) {
      tar.file(
          name,
          // never wider than the file's own mode: a 0600 file stays private when unpacked
          mode(item.source()),
          mtime,
          Files.size(item.source()),
          in);
    }
  }

  private static int mode(Path file) throws IOException {
    int m = 0;
    for (java.nio.file.attribute.PosixFilePermission p : Files.getPosixFilePermissions(file)) {
      m |= 1 << (8 - p.ordinal());
    }
    return m & 0755;
  }

  private static void addFile(Path root, Path file, boolean keepTime, Map<String, Item> items) {
    Path f = file.toAbsolutePath().normalize();
    if (f.startsWith(root)
        && !f.equals(root)
        && Files.isRegularFile(f)
        && CrateFiles.realInside(root, f)) {
      items.putIfAbsent(relative(root, f), new Item(f, false, keepTime));
    }
  }

  /** A file, or a directory with everything in it; symlinked directories are not descended. */
  private static void addTree(Path root, Path start, boolean keepTime, Map<String, Item> items)
      throws IOException {
    Path s = start.toAbsolutePath().normalize();
    if (!s.startsWith(root)
        || s.equals(root)
        || !Files.exists(s)
        || !CrateFiles.realInside(root, s)) {
      return;
    }
    if (!Files.isDirectory(s)) {
      addFile(root, s, keepTime, items);
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(s)) {
      walk.forEach(all::add);
    }
    for (Path p : all) {
      if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        items.putIfAbsent(relative(root, p), new Item(p, true, false));
      } else if (Files.isRegularFile(p) && CrateFiles.realInside(root, p)) {
        items.putIfAbsent(relative(root, p), new Item(p, false, keepTime));
      }
    }
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
  }
}
