package io.lightcone.core.internal.sandbox;

import io.lightcone.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * The code files of a task that a strict sandbox shows besides its declared inputs: project paths
 * (relative, POSIX), files or directories.
 */
@FunctionalInterface
public interface CodePaths {
  List<String> of(Task task, String renderedCommand, Path project);

  /**
   * The code files the planner resolved for the task ({@link io.lightcone.Task#codeFiles()}: the
   * project files its command names and those {@code lightcone.yaml}'s code globs match), the same
   * list the manifest records; a directory without its trailing slash.
   */
  CodePaths RECORDED =
      (task, command, project) ->
          task.codeFiles().stream()
              .map(f -> f.endsWith("/") ? f.substring(0, f.length() - 1) : f)
              .toList();
}
