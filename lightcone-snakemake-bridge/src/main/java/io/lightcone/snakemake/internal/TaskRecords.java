package io.lightcone.snakemake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.core.TaskProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the task runner recorded about a task run in another process: the manifest it published
 * beside the output, or the failure record it wrote under {@code .lightcone/failures/}. A record
 * counts only if it changed since {@link #snapshot} (taken before snakemake started), so that an
 * older manifest is not taken for this execution's.
 */
final class TaskRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskRecords() {}

  /** What a task's files looked like before the execution. */
  record Snapshot(Optional<Object> manifest, Optional<Object> failure, boolean outputExisted) {}

  /**
   * An output published in this execution with the planned {@code code_version}.
   *
   * @param restored whether it was restored from the cache rather than made by its recipe
   */
  record Published(double startedAt, double finishedAt, boolean restored) {}

  /**
   * A failure the task runner recorded in this execution.
   *
   * @param reason what happened, as the task runner said it
   * @param exitCode the recipe's exit code, when it exited
   * @param log the task's log, project-relative, when the recipe started
   * @param failedAt when, in Unix seconds
   */
  record Failure(String reason, OptionalInt exitCode, Optional<String> log, double failedAt) {}

  static Snapshot snapshot(Path project, Task task) {
    return new Snapshot(
        identity(manifestFile(project, task)),
        identity(failureFile(project, task.id())),
        Files.exists(project.resolve(task.outputDir()), LinkOption.NOFOLLOW_LINKS));
  }

  static Path manifestFile(Path project, Task task) {
    return project.resolve(task.outputDir()).resolve(Workflow.MANIFEST);
  }

  /** Where the task runner records a task's last failure: lightcone-core says. */
  static Path failureFile(Path project, TaskId id) {
    return TaskProtocol.failureFile(project, id);
  }

  /** Where the task runner writes a task's log, project-relative: lightcone-core says. */
  static String log(TaskId id) {
    return TaskProtocol.logFile(id);
  }

  /** The manifest published in this execution, when there is one for the planned code_version. */
  static Optional<Published> published(Path project, Task task, Snapshot before) {
    Path file = manifestFile(project, task);
    Optional<Object> now = identity(file);
    if (now.isEmpty() || now.equals(before.manifest())) {
      return Optional.empty();
    }
    Optional<JsonNode> m = read(file);
    if (m.isEmpty() || !task.codeVersion().equals(m.get().path("code_version").asText())) {
      return Optional.empty();
    }
    return Optional.of(
        new Published(
            m.get().path("started_at").asDouble(Double.NaN),
            m.get().path("finished_at").asDouble(Double.NaN),
            m.get().path("restored_from_cache").asBoolean(false)));
  }

  /** The failure recorded in this execution, when there is one. */
  static Optional<Failure> failure(Path project, TaskId id, Snapshot before) {
    Path file = failureFile(project, id);
    Optional<Object> now = identity(file);
    if (now.isEmpty() || now.equals(before.failure())) {
      return Optional.empty();
    }
    return read(file)
        .map(
            n ->
                new Failure(
                    n.path("reason").asText("failed"),
                    n.path("exit_code").isInt()
                        ? OptionalInt.of(n.path("exit_code").asInt())
                        : OptionalInt.empty(),
                    n.path("log").isTextual()
                        ? Optional.of(n.path("log").asText())
                        : Optional.empty(),
                    n.path("failed_at").asDouble(Double.NaN)));
  }

  /**
   * A file's identity: inode, modification time and size. The task runner replaces records by
   * renaming new files into place, so a new record always has a new identity.
   */
  private static Optional<Object> identity(Path file) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(
          java.util.List.of(
              String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size()));
    } catch (IOException e) {
      return Optional.empty(); // no such file
    }
  }

  private static Optional<JsonNode> read(Path file) {
    try {
      return Optional.ofNullable(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      return Optional.empty(); // gone or half-written: no record
    }
  }
}
