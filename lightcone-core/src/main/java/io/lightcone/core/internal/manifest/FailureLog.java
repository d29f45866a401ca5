package io.lightcone.core.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.TaskId;
import io.lightcone.core.internal.hash.PyJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The last failed attempt of each task, under {@code .lightcone/failures/<universe>/<output>.json},
 * so that {@code status} can say {@code failed} offline, and so that a substrate that ran the task
 * in another process can report it. Written by the task runner when an attempt fails, removed when
 * one succeeds. Fields: {@code task}, {@code reason}, {@code failed_at} (Unix seconds), {@code
 * exit_code} (the recipe's, or null when it did not run to an exit) and {@code log}
 * (project-relative, or null when the recipe did not start).
 */
public final class FailureLog {
  /** Made on first use: most calls never parse JSON. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private FailureLog() {}

  public static Path file(Path project, TaskId task) {
    return project
        .resolve(".lightcone/failures")
        .resolve(task.universe().value())
        .resolve(task.output() + ".json");
  }

  public static void record(
      Path project,
      TaskId task,
      String reason,
      OptionalInt exitCode,
      Optional<String> log,
      double at)
      throws IOException {
    Path file = file(project, task);
    Files.createDirectories(file.getParent());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.toString());
    m.put("reason", reason);
    m.put("failed_at", at);
    m.put("exit_code", exitCode.isPresent() ? exitCode.getAsInt() : null);
    m.put("log", log.orElse(null));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, PyJson.indented(m) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp); // a full disk leaves no empty record behind
    }
  }

  public static void clear(Path project, TaskId task) throws IOException {
    Files.deleteIfExists(file(project, task));
  }

  /** Why the last attempt failed, when it did. */
  public static Optional<String> read(Path project, TaskId task) {
    Path file = file(project, task);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(file.toFile());
      return Optional.of(n != null && n.has("reason") ? n.get("reason").asText() : "failed");
    } catch (IOException e) {
      return Optional.of("failed (record unreadable: " + e.getMessage() + ")");
    }
  }
}
