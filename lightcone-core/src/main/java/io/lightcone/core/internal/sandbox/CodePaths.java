package io.lightcone.core.internal.sandbox;

import io.lightcone.Task;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The code files of a task that a strict sandbox shows besides its declared inputs: project paths
 * (relative, POSIX), files or directories.
 */
@FunctionalInterface
public interface CodePaths {
  List<String> of(Task task, String renderedCommand, Path project);

  /**
   * An approximation: every word of the rendered command that names an existing file or directory
   * inside the project ({@code src/estimate.py}, {@code analysis.R}), the project root itself left
   * out. The code files the manifest records are the better answer where they are known.
   */
  CodePaths COMMAND_WORDS =
      (task, command, project) -> {
        Set<String> out = new LinkedHashSet<>();
        Path root = project.toAbsolutePath().normalize();
        for (String word : command.split("[\\s;|&()<>'\"`=,]+")) {
          if (word.isEmpty() || word.startsWith("-") || word.contains("://")) {
            continue;
          }
          Path p;
          try {
            p = root.resolve(word).normalize();
          } catch (java.nio.file.InvalidPathException e) {
            continue;
          }
          if (p.startsWith(root) && !p.equals(root) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            out.add(root.relativize(p).toString().replace('\\', '/'));
          }
        }
        return new ArrayList<>(out);
      };
}
