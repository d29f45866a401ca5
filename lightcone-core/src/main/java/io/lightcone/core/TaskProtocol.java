package io.lightcone.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a task ended, as one versioned JSON object: what {@code lc task run --result-file FILE}
 * writes for a substrate that ran it in another process (a SLURM job, a Dask worker) to read back.
 * The one codec of that protocol; no substrate parses {@code lc}'s printed lines.
 *
 * <pre>{@code
 * TaskProtocol.write(result, file);                 // on the node that ran the task
 * TaskResult r = TaskProtocol.read(file, attempt);  // where the execution is
 * }</pre>
 *
 * <p>Format, version 1: {@code {"protocol": 1, "task": "<universe>/<output>", "outcome":
 * "succeeded|restored|up-to-date|failed|skipped|cancelled", "exit_code": 0 | null, "detail": "...",
 * "log": "..." | null, "seconds": 0.25, "attempts": 1, "warnings": ["..."]}}. A reader rejects
 * another version with a message naming it.
 */
public final class TaskProtocol {
  /** The version this codec writes and reads. */
  public static final int VERSION = 1;

  /** Result files are a few hundred bytes; anything far larger is not one. */
  private static final long MAX_BYTES = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskProtocol() {}

  /** The result as one line of JSON (no line breaks inside). */
  public static String encode(TaskResult result) {
    ObjectNode o = JSON.createObjectNode();
    o.put("protocol", VERSION);
    o.put("task", result.task().toString());
    o.put("outcome", result.outcome().word());
    if (result.exitCode().isPresent()) {
      o.put("exit_code", result.exitCode().getAsInt());
    } else {
      o.putNull("exit_code");
    }
    o.put("detail", result.detail());
    if (result.log().isPresent()) {
      o.put("log", result.log().get());
    } else {
      o.putNull("log");
    }
    o.put("seconds", result.duration().toNanos() / 1e9);
    o.put("attempts", result.attempts());
    ArrayNode warnings = o.putArray("warnings");
    result.warnings().forEach(warnings::add);
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task result did not encode", e);
    }
  }

  /**
   * The result {@code json} describes.
   *
   * @throws LightconeException ({@code INTERNAL}) when it is not a result of this protocol version
   */
  public static TaskResult decode(String json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw bad("is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (o == null || !o.isObject()) {
      throw bad("is not a JSON object");
    }
    if (!o.path("protocol").isInt() || o.get("protocol").intValue() != VERSION) {
      throw bad(
          "has protocol "
              + o.path("protocol")
              + ", this lc reads "
              + VERSION
              + "; run the same Lightcone version on every node");
    }
    TaskId task;
    Outcome outcome;
    try {
      task = TaskId.parse(text(o, "task"));
      outcome = Outcome.valueOf(text(o, "outcome").toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw bad("names no task or outcome (" + e.getMessage() + ")");
    }
    List<String> warnings = new ArrayList<>();
    o.path("warnings").forEach(w -> warnings.add(w.asText()));
    double seconds = o.path("seconds").asDouble(0);
    return new TaskResult(
        task,
        outcome,
        o.path("exit_code").isInt()
            ? OptionalInt.of(o.get("exit_code").intValue())
            : OptionalInt.empty(),
        o.path("detail").asText(""),
        o.path("log").isTextual() ? Optional.of(o.get("log").asText()) : Optional.empty(),
        Duration.ofNanos(Math.round(Math.max(0, seconds) * 1e9)),
        o.path("attempts").asInt(0),
        warnings);
  }

  /**
   * Writes {@code result} to {@code file} whole or not at all (temp file beside it, fsync, rename),
   * so a reader polling for it never sees half a result.
   */
  public static void write(TaskResult result, Path file) {
    byte[] bytes = (encode(result) + "\n").getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "could not write the task's result to " + file + ": " + e.getMessage(),
          e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The write already failed and says so; a stray temp file is the lesser problem.
        }
      }
    }
  }

  /** The result in {@code file}, or empty when there is none (yet). */
  public static Optional<TaskResult> read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      if (Files.size(file) > MAX_BYTES) {
        throw bad(file + " is " + Files.size(file) + " bytes, far too large for a task result");
      }
      return Optional.of(decode(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (LightconeException e) {
      throw new LightconeException(e.kind(), file + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return v.asText();
  }

  private static LightconeException bad(String what) {
    return new LightconeException(LightconeException.Kind.INTERNAL, "a task result " + what);
  }
}
