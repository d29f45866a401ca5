package io.lightcone.core.internal.project;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YamlReader;
import io.lightcone.model.Analysis;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the YAML files of one project: {@code astra.yaml} and the files of {@code path:}
 * sub-analyses, which must stay inside the project and must not include themselves.
 */
final class AnalysisFiles {
  static final String ASTRA_YAML = "astra.yaml";

  /** A file being bound: its directory (real path) and its name relative to the project. */
  record Location(Path dir, String file) {}

  /** A file's root node and where it is. */
  record Included(YNode root, Location location) {}

  private final Path project;
  private final String rootFile;
  private final Problems problems;
  private final Deque<Path> loading = new ArrayDeque<>();
  private final java.util.List<Path> read = new java.util.ArrayList<>();

  /**
   * @param project the project directory, as a real path
   */
  AnalysisFiles(Path project, String rootFile, Problems problems) {
    this.project = project;
    this.rootFile = rootFile;
    this.problems = problems;
  }

  Path project() {
    return project;
  }

  /** Reads the project's {@code astra.yaml}. */
  Optional<Included> readRoot() {
    Path file = project.resolve(rootFile);
    if (!Files.isRegularFile(file)) {
      problems.error(
          Mark.fileOnly(rootFile),
          "",
          "no "
              + rootFile
              + " in "
              + project
              + "; point to an ASTRA project directory, or create one with 'lc init'");
      return Optional.empty();
    }
    loading.push(project);
    return read(file, rootFile).map(root -> new Included(root, new Location(project, rootFile)));
  }

  /**
   * Binds the sub-analysis in directory {@code relative} (relative to {@code from}'s directory)
   * with {@code bind}, unless the directory leaves the project, has no {@code astra.yaml}, or is
   * already being loaded (a cycle).
   */
  Optional<Analysis> include(
      Location from,
      String relative,
      Mark at,
      String key,
      String what,
      Function<Included, Optional<Analysis>> bind) {
    Path rel;
    try {
      rel = Path.of(relative);
    } catch (java.nio.file.InvalidPathException e) {
      problems.error(at, key, "path '" + relative + "' of " + what + " is not a valid path");
      return Optional.empty();
    }
    if (rel.isAbsolute()) {
      problems.error(
          at,
          key,
          "path '"
              + relative
              + "' of "
              + what
              + " is absolute; write it relative to "
              + from.file()
              + " so the project can move");
      return Optional.empty();
    }
    Path dir = from.dir().resolve(rel).normalize();
    if (!dir.startsWith(project)) {
      problems.error(
          at,
          key,
          "path '"
              + relative
              + "' of "
              + what
              + " leads outside the project (to "
              + dir
              + "); keep sub-analyses inside "
              + project);
      return Optional.empty();
    }
    if (!Files.isDirectory(dir)) {
      problems.error(
          at,
          key,
          "path '"
              + relative
              + "' of "
              + what
              + ": there is no directory "
              + relativize(dir)
              + "; create it with an astra.yaml or fix the path");
      return Optional.empty();
    }
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
    if (!real.startsWith(project)) {
      problems.error(
          at,
          key,
          "path '"
              + relative
              + "' of "
              + what
              + " leads outside the project through a symbolic link (to "
              + real
              + "); keep sub-analyses inside "
              + project);
      return Optional.empty();
    }
    if (loading.contains(real)) {
      problems.error(
          at,
          key,
          "path '"
              + relative
              + "' of "
              + what
              + " includes "
              + relativize(real.resolve(ASTRA_YAML))
              + ", which is already being loaded: sub-analyses form a cycle; remove this path");
      return Optional.empty();
    }
    Path file = real.resolve(ASTRA_YAML);
    String fileName = relativize(file);
    if (!Files.isRegularFile(file)) {
      problems.error(
          at,
          key,
          "path '" + relative + "' of " + what + ": there is no " + fileName + "; create it");
      return Optional.empty();
    }
    Optional<YNode> root = read(file, fileName);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    loading.push(real);
    try {
      return bind.apply(new Included(root.get(), new Location(real, fileName)));
    } finally {
      loading.pop();
    }
  }

  /** A reader of the same project that reports into {@code other} (for parallel reading). */
  AnalysisFiles fork(Problems other) {
    return new AnalysisFiles(project, rootFile, other);
  }

  /** Every file read so far, in order: what a run must watch for edits. */
  java.util.List<Path> filesRead() {
    return java.util.List.copyOf(read);
  }

  /** Reads and parses one YAML file, reporting its problems; empty when it could not be parsed. */
  Optional<YNode> read(Path file, String name) {
    read.add(file);
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > YamlReader.MAX_BYTES) {
        problems.addAll(java.util.List.of(YamlReader.tooLarge(name, size)));
        return Optional.empty();
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    YamlReader.Result result = YamlReader.read(name, bytes);
    problems.addAll(result.problems());
    return result.root();
  }

  String relativize(Path p) {
    String rel = project.relativize(p).toString();
    return rel.replace(java.io.File.separatorChar, '/');
  }

  static LightconeException unreadable(Path p, IOException e) {
    String why =
        e instanceof AccessDeniedException
            ? "permission denied"
            : e instanceof NoSuchFileException ? "no such file" : e.toString();
    return new LightconeException(
        LightconeException.Kind.ENVIRONMENT,
        "cannot read " + p + ": " + why + "; check that it exists and is readable",
        e);
  }
}
