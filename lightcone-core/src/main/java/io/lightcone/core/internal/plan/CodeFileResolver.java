package io.lightcone.core.internal.plan;

import io.lightcone.core.internal.hash.PyJson;
import io.lightcone.core.internal.project.LightconeConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The code files of a task (docs/code-tracking.md): every project file or directory a word of its
 * rendered command names ({@code python3 src/fit.py}, {@code --script=lib/fit.R}, {@code 'src/my
 * script.py'}), except its declared inputs and output and anything in {@link
 * LightconeConfig#NOT_CODE}, plus the files the project's code globs matched. A directory is
 * written with a trailing {@code /} and hashed as a tree. Words are resolved against the project
 * root, where recipes run.
 */
final class CodeFileResolver {
  private final Path project;
  private final List<String> globbed;
  // A multiverse renders the same script path in thousands of commands: one stat per word.
  private final Map<String, Optional<String>> words = new ConcurrentHashMap<>();

  /**
   * @param project the project root, absolute
   * @param globbed the files {@code lightcone.yaml}'s code globs matched
   */
  CodeFileResolver(Path project, List<String> globbed) {
    this.project = project.toAbsolutePath().normalize();
    this.globbed = List.copyOf(globbed);
  }

  /**
   * The code files of the task whose rendered command is {@code command}, sorted.
   *
   * @param excluded project-relative paths of its declared inputs and its output: data, not code
   */
  List<String> resolve(String command, Collection<String> excluded) {
    TreeSet<String> out = new TreeSet<>(PyJson.CODE_POINT_ORDER);
    out.addAll(globbed);
    for (String word : words(command, true)) {
      candidate(word).ifPresent(out::add);
      int eq = word.indexOf('=');
      if (eq > 0) {
        candidate(word.substring(eq + 1)).ifPresent(out::add);
      }
    }
    out.removeIf(f -> isExcluded(f, excluded));
    return List.copyOf(out);
  }

  private static boolean isExcluded(String file, Collection<String> excluded) {
    String plain = file.endsWith("/") ? file.substring(0, file.length() - 1) : file;
    for (String e : excluded) {
      String x = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
      if (!x.isEmpty() && (plain.equals(x) || plain.startsWith(x + "/"))) {
        return true;
      }
    }
    return false;
  }

  private Optional<String> candidate(String word) {
    if (word.isEmpty()
        || word.startsWith("-")
        || word.contains("://")
        || word.chars().anyMatch(c -> "$*?[`\u0000".indexOf(c) >= 0)) {
      return Optional.empty();
    }
    // Output paths differ in every universe: ruled out before the memo, which they would flood.
    for (String part : word.split("/")) {
      if (LightconeConfig.NOT_CODE.contains(part)) {
        return Optional.empty();
      }
    }
    return words.computeIfAbsent(word, this::lookup);
  }

  private Optional<String> lookup(String word) {
    Path p;
    try {
      p = project.resolve(word).normalize();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    if (!p.startsWith(project) || p.equals(project)) {
      return Optional.empty();
    }
    Path rel = project.relativize(p);
    for (Path part : rel) {
      if (LightconeConfig.NOT_CODE.contains(part.toString())) {
        return Optional.empty();
      }
    }
    String posix = rel.toString().replace(java.io.File.separatorChar, '/');
    if (Files.isRegularFile(p)) {
      return Optional.of(posix);
    }
    if (Files.isDirectory(p)) {
      return Optional.of(posix + "/");
    }
    return Optional.empty();
  }

  /**
   * The words of a POSIX shell command line: split at unquoted blanks and control operators ({@code
   * ; & | < > ( )}), with single quotes, double quotes and backslashes removed as the shell removes
   * them. Expansions are left as written (a word holding {@code $} names no file we can know).
   */
  static List<String> words(String command) {
    return words(command, false);
  }

  /**
   * As {@link #words(String)}; with {@code readOnly}, without the target of each output redirection
   * ({@code > log}, {@code >> runs.txt}, {@code 2>err}): a file the recipe writes is not code it
   * runs.
   */
  static List<String> words(String command, boolean readOnly) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    boolean target = false; // the next word is where output is redirected to
    int n = command.length();
    for (int i = 0; i < n; i++) {
      char c = command.charAt(i);
      if (c == '\'') {
        int end = command.indexOf('\'', i + 1);
        end = end < 0 ? n : end;
        w.append(command, i + 1, end);
        inWord = true;
        i = end;
      } else if (c == '"') {
        inWord = true;
        for (i++; i < n && command.charAt(i) != '"'; i++) {
          char d = command.charAt(i);
          if (d == '\\' && i + 1 < n && "\"\\$`\n".indexOf(command.charAt(i + 1)) >= 0) {
            d = command.charAt(++i);
          }
          w.append(d);
        }
      } else if (c == '\\') {
        if (i + 1 < n) {
          w.append(command.charAt(++i));
          inWord = true;
        }
      } else if (Character.isWhitespace(c) || ";&|<>()".indexOf(c) >= 0) {
        if (inWord) {
          if (!(readOnly && target)) {
            out.add(w.toString());
          }
          target = false;
          w.setLength(0);
          inWord = false;
        }
        if (c == '>') {
          target = true;
        } else if (c == ';' || c == '|' || c == '(' || c == ')' || c == '<') {
          target = false;
        }
      } else if (c == '#' && !inWord) {
        while (i < n && command.charAt(i) != '\n') {
          i++; // a comment, to the end of the line
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord && !(readOnly && target)) {
      out.add(w.toString());
    }
    return out;
  }
}
