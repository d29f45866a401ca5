package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.spi.PrivateDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The only Dask client of a run: {@code lightcone_dask.py sidecar ADDRESS}, fed JSON lines. It
 * submits each task's command with its resources, fails at once a task no worker can hold (Dask
 * would wait forever), reports when a task starts and ends, and on cancel returns only once no
 * process of the run is left on any worker. When its stdin ends it cancels everything and exits.
 *
 * <pre>{@code
 * try (Sidecar s = Sidecar.start(env, root, "tls://127.0.0.1:8786", tls)) { s.submit(...); }
 * }</pre>
 */
public final class Sidecar implements AutoCloseable {
  private static final Duration CONNECT = Duration.ofSeconds(60);

  private final PyProcess process;
  private final Path directory;
  private final JsonNode hello;

  /** What the sidecar tells about the tasks. */
  public sealed interface Event {}

  /** A task's command started on a worker. */
  public record Started(String id, int attempt, String worker, String host) implements Event {}

  /**
   * A task's command ended with {@code exit}; {@code output} is what it printed (its tail), or the
   * runner's detail; {@code result} is the task runner's answer, a {@code TaskProtocol} line, or
   * empty when the command was not a task runner's.
   */
  public record Done(
      String id,
      int attempt,
      int exit,
      String output,
      String result,
      String worker,
      String host,
      double seconds)
      implements Event {}

  /** Dask could not run a task: too big for every worker, worker lost, no worker left. */
  public record Failed(String id, int attempt, String message) implements Event {}

  /** Answer to {@link #cancelAll()}: every process of the run is gone. */
  public record Cancelled() implements Event {}

  /** Answer to {@link #withdraw()}: these tasks (id, attempt) were not started and never will. */
  public record Withdrawn(Map<String, Integer> tasks) implements Event {}

  /** The sidecar ended, or said something it should not have. */
  public record Broken(String message) implements Event {}

  private Sidecar(PyProcess process, Path directory, JsonNode hello) {
    this.process = process;
    this.directory = directory;
    this.hello = hello;
  }

  /**
   * Starts the sidecar, its script in a new private directory under {@code root}, and connects it
   * to the scheduler at {@code address}: with the credentials in {@code tls} (a cluster we
   * started), else with Dask's own security configuration ({@code DASK_DISTRIBUTED__COMM__TLS__*}).
   *
   * @throws LightconeException of kind ENVIRONMENT when it cannot connect
   */
  public static Sidecar start(
      DaskEnvironment environment, Path root, String address, Optional<Path> tls) {
    Path dir = PrivateDirectories.createTemp(PrivateDirectories.ensure(root), "sidecar-");
    try {
      return startIn(environment, dir, address, tls);
    } catch (RuntimeException e) {
      PyProcess.delete(dir);
      throw e;
    }
  }

  private static Sidecar startIn(
      DaskEnvironment environment, Path dir, String address, Optional<Path> tls) {
    List<String> args =
        new ArrayList<>(
            List.of("sidecar", address, "--timeout", String.valueOf(CONNECT.toSeconds())));
    tls.ifPresent(t -> args.addAll(List.of("--tls-dir", t.toString())));
    PyProcess process = PyProcess.start(environment, dir, "sidecar", args);
    JsonNode first;
    try {
      first = process.next(CONNECT.plusSeconds(15));
    } catch (InterruptedException e) {
      process.stop(Duration.ofSeconds(10)); // it winds up what it started so far
      Thread.currentThread().interrupt();
      throw new LightconeException(
          LightconeException.Kind.INTERRUPTED, "interrupted while connecting to Dask", e);
    }
    if (first != null && "hello".equals(first.path("event").asText())) {
      return new Sidecar(process, dir, first);
    }
    process.stop(Duration.ofSeconds(5));
    String tail = process.stderrTail();
    throw new LightconeException(
        LightconeException.Kind.ENVIRONMENT,
        (first == null
                ? "the Dask sidecar did not connect to " + address + " in time"
                : first == PyProcess.EOF
                    ? "the Dask sidecar ended at once"
                    : first.path("message").asText())
            + (tail.isBlank() ? "" : "\n" + tail.strip()));
  }

  /** The workers the scheduler had when the sidecar connected, as JSON. */
  public String workers() {
    return hello.path("workers").toString();
  }

  /**
   * Submits a task's command; a plumbing command lightcone-core built runs in the worker's
   * long-lived task runner ({@link Runners}). {@code resources} holds only what the task declares:
   * {@code cpus}, {@code memory} (bytes), {@code gpus}.
   */
  public void submit(
      String id, int attempt, List<String> argv, Path directory, Map<String, Number> resources) {
    ObjectNode r = PyProcess.JSON.createObjectNode();
    r.put("op", "submit").put("id", id).put("attempt", attempt).put("cwd", directory.toString());
    Runners.describe(r, argv);
    ObjectNode res = r.putObject("resources");
    resources.forEach((k, v) -> res.put(k, v.doubleValue()));
    process.send(r);
  }

  /** Cancels every task of the run; a {@link Cancelled} event follows once all are gone. */
  public void cancelAll() {
    process.send(PyProcess.JSON.createObjectNode().put("op", "cancel"));
  }

  /**
   * Takes back every task that has not started (after a failure, without keep-going); a {@link
   * Withdrawn} event follows.
   */
  public void withdraw() {
    process.send(PyProcess.JSON.createObjectNode().put("op", "withdraw"));
  }

  /** The next event, or null after {@code timeout}. */
  public Event next(Duration timeout) throws InterruptedException {
    JsonNode e = process.next(timeout);
    return e == null ? null : event(e);
  }

  /** Wakes a thread blocked in {@link #next} (it gets null). */
  public void wake() {
    process.events().offer(PyProcess.JSON.createObjectNode().put("event", "wake"));
  }

  private Event event(JsonNode e) {
    String id = e.path("id").asText();
    int attempt = e.path("attempt").asInt(1);
    switch (e.path("event").asText()) {
      case "started":
        return new Started(id, attempt, e.path("worker").asText(), e.path("host").asText());
      case "done":
        return new Done(
            id,
            attempt,
            e.path("exit").asInt(),
            e.path("output").asText(),
            e.path("result").asText(""),
            e.path("worker").asText(),
            e.path("host").asText(),
            e.path("seconds").asDouble());
      case "failed":
        return new Failed(id, attempt, e.path("message").asText());
      case "cancelled":
        return new Cancelled();
      case "withdrawn":
        Map<String, Integer> tasks = new java.util.LinkedHashMap<>();
        e.path("jobs").forEach(j -> tasks.put(j.path("id").asText(), j.path("attempt").asInt()));
        return new Withdrawn(tasks);
      case "wake":
        return null;
      case "eof":
        String tail = process.stderrTail();
        return new Broken(
            "the Dask sidecar ended unexpectedly" + (tail.isBlank() ? "" : ":\n" + tail.strip()));
      default:
        return new Broken("the Dask sidecar said: " + e.path("message").asText(e.toString()));
    }
  }

  /** Closes stdin (the sidecar cancels what is left and disconnects) and waits for it to end. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
    PyProcess.delete(directory);
  }
}
