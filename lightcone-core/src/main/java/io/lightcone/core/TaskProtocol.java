package io.lightcone.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.internal.manifest.FailureLog;
import io.lightcone.core.internal.run.LocalTaskRunner;
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
import java.util.Objects;
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
 *
 * <p>The long-lived task runner ({@code lc task serve}) speaks the same protocol as lines: it reads
 * requests on stdin, {@code {"protocol": 1, "op": "run", "id": "<request>", "task": "...",
 * "code_version": "sha256:..."}} and {@code {"protocol": 1, "op": "cancel", "id": "<request>"}},
 * and answers each run request with one result line carrying the request's {@code "id"} (or, for a
 * line it cannot read, {@code {"protocol": 1, "id": ... | null, "error": "..."}}). {@link
 * #served(List)} turns a plumbing command into that runner's command and a task's request.
 */
public final class TaskProtocol {
  /** The version this codec writes and reads. */
  public static final int VERSION = 1;

  /** Result files are a few hundred bytes; anything far larger is not one. */
  private static final long MAX_BYTES = 1 << 20;

  /** A request line is a few hundred bytes; a longer one is refused unread. */
  public static final int MAX_REQUEST_CHARS = 64 * 1024;

  /** What a request asks of the task runner. */
  public enum Op {
    /** Run a task (re-derive it, check its {@code code_version}, run, publish). */
    RUN,
    /** Cancel the task an earlier run request of the same id started. */
    CANCEL
  }

  /**
   * One request to the long-lived task runner.
   *
   * @param id the requester's name for it, repeated in the answer
   * @param task the task to run (empty for a cancel)
   * @param codeVersion the {@code code_version} the plan computed (empty for a cancel)
   */
  public record Request(String id, Op op, Optional<TaskId> task, Optional<String> codeVersion) {
    public Request {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(codeVersion, "codeVersion");
    }

    /** A request to run {@code task}, which must still have {@code codeVersion}. */
    public static Request run(String id, TaskId task, String codeVersion) {
      return new Request(id, Op.RUN, Optional.of(task), Optional.of(codeVersion));
    }

    /** A request to cancel the run request {@code id}. */
    public static Request cancel(String id) {
      return new Request(id, Op.CANCEL, Optional.empty(), Optional.empty());
    }
  }

  /**
   * A plumbing command split for the long-lived task runner: the command that starts the runner
   * (the same launcher and run options, {@code task serve} instead of {@code task run}) and this
   * task's run request, as a JSON object without its {@code "id"}, which the transport adds.
   */
  public record Served(List<String> serveCommand, String request) {}

  private static final List<String> RUN = List.of("task", "run", "--project");

  /**
   * The long-lived runner's command and the task's request for {@code taskCommand}, a plumbing
   * command lightcone-core built ({@code ... task run --project DIR TASK --expect-code-version CV
   * OPTIONS...}); empty for any other command (a substrate's tests may run anything).
   */
  public static Optional<Served> served(List<String> taskCommand) {
    int at = java.util.Collections.indexOfSubList(taskCommand, RUN);
    if (at < 1 || taskCommand.size() < at + 7) {
      return Optional.empty();
    }
    if (!taskCommand.get(at + 5).equals("--expect-code-version")) {
      return Optional.empty();
    }
    TaskId task;
    try {
      task = TaskId.parse(taskCommand.get(at + 4));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    List<String> serve = new ArrayList<>(taskCommand.subList(0, at));
    serve.addAll(List.of("task", "serve", "--project", taskCommand.get(at + 3)));
    serve.addAll(taskCommand.subList(at + 7, taskCommand.size()));
    ObjectNode o = JSON.createObjectNode();
    o.put("protocol", VERSION);
    o.put("op", "run");
    o.put("task", task.toString());
    o.put("code_version", taskCommand.get(at + 6));
    return Optional.of(new Served(List.copyOf(serve), o.toString()));
  }

  /** A request as one line of JSON. */
  public static String encode(Request request) {
    ObjectNode o = JSON.createObjectNode();
    o.put("protocol", VERSION);
    o.put("op", request.op().name().toLowerCase(Locale.ROOT));
    o.put("id", request.id());
    request.task().ifPresent(t -> o.put("task", t.toString()));
    request.codeVersion().ifPresent(cv -> o.put("code_version", cv));
    return o.toString();
  }

  /**
   * The request {@code line} holds.
   *
   * @throws LightconeException ({@code USER_INPUT}) naming what is wrong with the line: too long,
   *     not JSON, another protocol version, an unknown op, a missing or malformed field
   */
  public static Request decodeRequest(String line) {
    if (line.length() > MAX_REQUEST_CHARS) {
      throw badRequest("is " + line.length() + " characters, more than " + MAX_REQUEST_CHARS);
    }
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw badRequest("is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (o == null || !o.isObject()) {
      throw badRequest("is not a JSON object");
    }
    if (!o.path("protocol").isInt() || o.get("protocol").intValue() != VERSION) {
      throw badRequest(
          "has protocol "
              + o.path("protocol")
              + ", this lc speaks "
              + VERSION
              + "; run the same Lightcone version on every node");
    }
    JsonNode id = o.get("id");
    if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > 512) {
      throw badRequest("has no \"id\" (a string of 1 to 512 characters)");
    }
    String op = o.path("op").asText("");
    switch (op) {
      case "cancel":
        return Request.cancel(id.asText());
      case "run":
        JsonNode cv = o.get("code_version");
        if (cv == null || !cv.isTextual() || cv.asText().isEmpty()) {
          throw badRequest("asks to run a task without its \"code_version\"");
        }
        try {
          return Request.run(id.asText(), TaskId.parse(text(o, "task")), cv.asText());
        } catch (IllegalArgumentException e) {
          throw badRequest("names no task (" + e.getMessage() + ")");
        }
      default:
        throw badRequest("has op " + o.path("op") + "; this lc knows \"run\" and \"cancel\"");
    }
  }

  /** The answer to run request {@code id}: the result's line with the request's id. */
  public static String answer(String id, TaskResult result) {
    try {
      ObjectNode o = (ObjectNode) JSON.readTree(encode(result));
      o.put("id", id);
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task result did not encode", e);
    }
  }

  /** The answer to a line the runner could not take: what was wrong, and its id when it had one. */
  public static String error(Optional<String> id, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("protocol", VERSION);
    if (id.isPresent()) {
      o.put("id", id.get());
    } else {
      o.putNull("id");
    }
    o.put("error", message);
    return o.toString();
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private TaskProtocol() {}

  /**
   * Where the task runner records {@code task}'s last failure (JSON: reason, exit code, log, time),
   * for a substrate that learns how a task ended from the project's files (Snakemake run by hand).
   */
  public static Path failureFile(Path project, TaskId task) {
    return FailureLog.file(project, task);
  }

  /** Where the task runner writes {@code task}'s log, project-relative. */
  public static String logFile(TaskId task) {
    return LocalTaskRunner.logPath(task);
  }

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

  private static LightconeException badRequest(String what) {
    return new LightconeException(LightconeException.Kind.USER_INPUT, "a task request " + what);
  }

  private static LightconeException bad(String what) {
    return new LightconeException(LightconeException.Kind.INTERNAL, "a task result " + what);
  }
}
