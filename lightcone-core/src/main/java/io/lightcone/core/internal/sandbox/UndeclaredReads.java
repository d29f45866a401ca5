package io.lightcone.core.internal.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds, in the log of a recipe that failed in a strict sandbox, the project files it tried to read
 * and could not see: a line reporting that a file does not exist ({@code ENOENT}, in the words of
 * the C library, Python, R, the shell) naming a path that exists in the project but was hidden.
 */
final class UndeclaredReads {
  private static final Pattern MISSING =
      Pattern.compile(
          "No such file or directory|ENOENT|cannot open|can't open|cannot access|does not exist"
              + "|not found|No module named",
          Pattern.CASE_INSENSITIVE);

  /** Python's ImportError: a module beside the script, not named by the command. */
  private static final Pattern MODULE = Pattern.compile("No module named '([A-Za-z_][\\w.]*)'");

  private static final Pattern QUOTED = Pattern.compile("'([^']+)'|\"([^\"]+)\"|‘([^’]+)’");
  private static final int MAX_LINES = 10_000;
  private static final int MAX_FILES = 5;

  private UndeclaredReads() {}

  /**
   * The hidden project files (relative, POSIX) that {@code log} says were missing, at most five.
   *
   * @param visible the project paths the sandbox showed: these and what lies under them are not
   *     hidden
   */
  static List<String> find(Path log, Path project, List<String> visible) {
    Path root = project.toAbsolutePath().normalize();
    Set<String> found = new LinkedHashSet<>();
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      lines
          .limit(MAX_LINES)
          .filter(l -> MISSING.matcher(l).find())
          .forEach(
              line -> {
                for (String candidate : candidates(line, root, visible)) {
                  if (found.size() < MAX_FILES) {
                    hidden(candidate, root, visible).ifPresent(found::add);
                  }
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of(); // no log to read: the failure message stays as it is
    }
    return new ArrayList<>(found);
  }

  private static List<String> candidates(String line, Path root, List<String> visible) {
    List<String> out = new ArrayList<>();
    Matcher module = MODULE.matcher(line);
    if (module.find()) {
      String rel = module.group(1).replace('.', '/');
      Set<Path> dirs = new LinkedHashSet<>();
      dirs.add(root);
      for (String v : visible) {
        Path parent = root.resolve(v).getParent();
        if (parent != null) {
          dirs.add(parent);
        }
      }
      for (Path d : dirs) {
        out.add(root.relativize(d.resolve(rel + ".py")).toString());
        out.add(root.relativize(d.resolve(rel)).toString());
      }
    }
    Matcher m = QUOTED.matcher(line);
    while (m.find()) {
      for (int g = 1; g <= 3; g++) {
        if (m.group(g) != null) {
          out.add(m.group(g));
        }
      }
    }
    for (String part : line.split(":\\s*|\\s+")) {
      out.add(part.replaceAll("^[\\[('\"‘]+|[\\]),'\"’.]+$", ""));
    }
    return out;
  }

  private static java.util.Optional<String> hidden(
      String candidate, Path root, List<String> visible) {
    if (candidate.isBlank() || candidate.contains("://")) {
      return java.util.Optional.empty();
    }
    Path p;
    try {
      p = root.resolve(candidate.strip()).normalize();
    } catch (InvalidPathException e) {
      return java.util.Optional.empty();
    }
    if (!p.startsWith(root) || p.equals(root) || !Files.exists(p)) {
      return java.util.Optional.empty();
    }
    String rel = root.relativize(p).toString().replace('\\', '/');
    for (String v : visible) {
      if (rel.equals(v) || rel.startsWith(v + "/")) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(rel);
  }
}
