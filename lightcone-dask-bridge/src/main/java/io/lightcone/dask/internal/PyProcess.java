package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.spi.ProcessGroups;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One process of {@code lightcone_dask.py}, in a session of its own so that its whole tree can be
 * signalled at once (and a Ctrl-C on the terminal reaches the JVM first, which then stops it in
 * order). It reads requests as JSON lines on stdin and writes events as JSON lines on stdout; its
 * stdin staying open is how it knows we are alive, so it ends on its own when the JVM dies.
 */
final class PyProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "lightcone_dask.py";
  private static final int STDERR_LINES = 40;

  /** Put on the event queue when stdout ends. */
  static final JsonNode EOF = JSON.createObjectNode().put("event", "eof");

  private final Process process;
  private final String what;
  private final OutputStream stdin;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final Deque<String> stderr = new ArrayDeque<>();
  private final Thread stderrDrain;

  private PyProcess(Process process, String what) {
    this.process = process;
    this.what = what;
    this.stdin = process.getOutputStream();
    Thread out = new Thread(this::readEvents, "lightcone-dask-" + what);
    out.setDaemon(true);
    out.start();
    stderrDrain = new Thread(this::drainStderr, "lightcone-dask-" + what + "-stderr");
    stderrDrain.setDaemon(true);
    stderrDrain.start();
  }

  /**
   * Starts {@code lightcone_dask.py args...} with the environment's interpreter and variables.
   *
   * @throws LightconeException of kind ENVIRONMENT when the interpreter cannot be started
   */
  static PyProcess start(DaskEnvironment environment, String what, List<String> args) {
    Path script = script(environment.tempDir());
    List<String> argv = new ArrayList<>();
    argv.add(environment.python());
    argv.add(script.toString());
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(ProcessGroups.command(argv));
    pb.environment().clear();
    pb.environment().putAll(environment.variables());
    try {
      return new PyProcess(pb.start(), what);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot start the Dask "
              + what
              + " with "
              + environment.python()
              + ": "
              + e.getMessage()
              + "; install python3-distributed python3-dask (Debian), or set LIGHTCONE_PYTHON",
          e);
    }
  }

  /** The script, written once per content under {@code dir} (the name carries its hash). */
  static Path script(Path dir) {
    return script(dir, SCRIPT);
  }

  /** The bridge's Python file {@code name}, written once per content under {@code dir}. */
  static Path script(Path dir, String name) {
    byte[] bytes;
    try (InputStream in = PyProcess.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String hash;
    try {
      hash =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
              .substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String stem = name.substring(0, name.length() - ".py".length()).replace('_', '-');
    Path file = dir.resolve(stem + "-" + hash + ".py");
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, stem + "-", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write the Dask bridge's script to " + file + ": " + e.getMessage(),
          e);
    }
    return file;
  }

  private void readEvents() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          try {
            events.add(JSON.readTree(line));
          } catch (IOException notJson) {
            remember(line);
          }
        } else {
          remember(line); // a stray print of a library: keep it for the error message
        }
      }
    } catch (IOException e) {
      // The process is gone: EOF below says so.
    } finally {
      events.add(EOF);
    }
  }

  private void drainStderr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        remember(line);
      }
    } catch (IOException e) {
      // Gone.
    }
  }

  private void remember(String line) {
    synchronized (stderr) {
      stderr.addLast(line);
      if (stderr.size() > STDERR_LINES) {
        stderr.removeFirst();
      }
    }
  }

  /** The last lines the process wrote on stderr, for error messages. */
  String stderrTail() {
    try {
      stderrDrain.join(500); // what it wrote just before it ended
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  /** Sends one request. */
  void send(ObjectNode request) {
    byte[] line = (request.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (stdin) {
      try {
        stdin.write(line);
        stdin.flush();
      } catch (IOException e) {
        // The process is gone; its EOF event tells the reader.
      }
    }
  }

  /** The next event, {@link #EOF} when the process ended, null after {@code timeout}. */
  JsonNode next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  BlockingQueue<JsonNode> events() {
    return events;
  }

  /** Closes stdin: the process winds up and ends by itself. */
  void closeInput() {
    synchronized (stdin) {
      try {
        stdin.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  long pid() {
    return process.pid();
  }

  /**
   * Ends the process and everything in its session's process group: closes stdin and waits {@code
   * grace} for it to wind up, then SIGTERM, then SIGKILL.
   */
  void stop(Duration grace) {
    closeInput();
    if (waitFor(grace)) {
      signalGroup("KILL"); // stragglers of the group (its own children) must not outlive it
      return;
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    signalGroup("TERM");
    if (!waitFor(Duration.ofSeconds(5))) {
      signalGroup("KILL");
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(5));
    }
    signalGroup("KILL");
  }

  private void signalGroup(String signal) {
    if (!ProcessGroups.signal(signal, process.pid())) {
      process.destroyForcibly(); // no kill(1): at least the process itself
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  @Override
  public String toString() {
    return "Dask " + what + " (pid " + process.pid() + ")";
  }
}
