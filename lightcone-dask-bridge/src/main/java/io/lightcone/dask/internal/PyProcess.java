package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.spi.PrivateDirectories;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
   * Starts {@code lightcone_dask.py args...} with the environment's interpreter and variables, the
   * script written into {@code dir} (a private directory of the caller, see {@link
   * io.lightcone.spi.PrivateDirectories}).
   *
   * @throws LightconeException of kind ENVIRONMENT when the interpreter cannot be started
   */
  static PyProcess start(DaskEnvironment environment, Path dir, String what, List<String> args) {
    Path script = script(dir, SCRIPT);
    List<String> argv = new ArrayList<>();
    argv.add(environment.python());
    argv.addAll(flags(environment));
    argv.add(script.toString());
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(ProcessGroups.command(argv));
    pb.environment().clear();
    pb.environment().putAll(environment.variables());
    pb.directory(dir.toFile()); // not the caller's directory: nothing there is ours to trust
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

  /**
   * The interpreter's flags, so that neither the current directory nor the script's directory (nor
   * any other place someone else could write) is on its import path. The default interpreter runs
   * isolated ({@code -I}: no {@code PYTHON*} variables, no user site, no script directory). An
   * interpreter named by {@code LIGHTCONE_PYTHON} may need its environment ({@code PYTHONPATH} of a
   * module system or a virtual environment): {@code -s -P} (no user site, no script directory),
   * where {@code -P} exists only from Python 3.11 on; older ones get {@code -s} alone, and the
   * script's directory, first on their path, is our private one.
   */
  static List<String> flags(DaskEnvironment environment) {
    if (environment.variable("LIGHTCONE_PYTHON").isEmpty()) {
      return List.of("-I");
    }
    return safePath(environment) ? List.of("-s", "-P") : List.of("-s");
  }

  /** Whether the interpreter knows {@code -P} (Python 3.11+): one run of it, ~10 ms. */
  private static boolean safePath(DaskEnvironment environment) {
    try {
      Process p =
          new ProcessBuilder(environment.python(), "-s", "-P", "-S", "-c", "")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false; // it cannot start at all: start() says so
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The bridge's Python file {@code name} ({@code lightcone_dask.py} is written as {@code
   * lightcone-dask.py}), written into the private directory {@code dir}, mode 0600; written once
   * per directory.
   */
  static Path script(Path dir, String name) {
    Path file = dir.resolve(name.replace('_', '-'));
    if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return file; // ours: the directory is private and fresh
    }
    byte[] bytes;
    try (InputStream in = PyProcess.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return PrivateDirectories.write(file, bytes, false);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write the Dask bridge's script to " + file + ": " + e.getMessage(),
          e);
    }
  }

  /** Removes {@code dir} and everything in it; a leftover is only a leftover. */
  static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // Nothing the run's outcome depends on; the directory is private.
    }
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
