package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Snakemake's cluster hooks for Dask dispatch, the Java side: the task table the hooks' sidecar
 * reads ({@code lightcone_dask.py hooks}: output directory → the task's plumbing command, working
 * directory and Dask resources) and the snakemake arguments that wire the hooks in. The sidecar,
 * started by snakemake itself, holds the only Dask client; {@code lightcone_hooks.py} submits and
 * cancels through it; a job's id is the file holding its state, so {@code --cluster-status} is
 * {@code cat}.
 */
public final class Hooks implements AutoCloseable {
  private static final String HOOKS_SCRIPT = "lightcone_hooks.py";
  private static final String DASK_SCRIPT = "lightcone_dask.py";

  /** One task for the table. */
  public record Task(String id, String output, List<String> argv, Map<String, Number> resources) {}

  private final Path directory;
  private final List<String> arguments;

  private Hooks(Path directory, List<String> arguments) {
    this.directory = directory;
    this.arguments = List.copyOf(arguments);
  }

  /**
   * Writes the task table for {@code tasks} into a new private directory under the environment's
   * temporary directory, and the scripts beside it.
   *
   * @throws LightconeException of kind ENVIRONMENT when they cannot be written
   */
  public static Hooks prepare(
      DaskEnvironment environment, String scheduler, Path project, List<Task> tasks) {
    Path dir;
    try {
      dir = Files.createTempDirectory(environment.tempDir(), "lightcone-dask-hooks-");
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot create a directory for snakemake's Dask hooks under "
              + environment.tempDir()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      ObjectNode table = PyProcess.JSON.createObjectNode();
      for (Task t : tasks) {
        ObjectNode entry = table.putObject(t.output());
        entry.put("id", t.id()).put("cwd", project.toString());
        t.argv().forEach(entry.putArray("argv")::add);
        ObjectNode res = entry.putObject("resources");
        t.resources().forEach((k, v) -> res.put(k, v.doubleValue()));
      }
      Path file = dir.resolve("tasks.json");
      Files.writeString(file, PyProcess.JSON.writeValueAsString(table), StandardCharsets.UTF_8);
      String python = quote(environment.python());
      String hooks = quote(PyProcess.script(dir, HOOKS_SCRIPT).toString());
      String dask = quote(PyProcess.script(dir, DASK_SCRIPT).toString());
      List<String> arguments = new ArrayList<>();
      arguments.addAll(List.of("--cluster", python + " -S " + hooks + " submit"));
      arguments.addAll(List.of("--cluster-status", "cat"));
      arguments.addAll(List.of("--cluster-cancel", python + " -S " + hooks + " cancel"));
      // Snakemake starts the sidecar without a shell: its command is one executable.
      Path sidecar = dir.resolve("sidecar.sh");
      Files.writeString(
          sidecar,
          "#!/bin/sh\nexec "
              + python
              + " "
              + dask
              + " hooks "
              + quote(scheduler)
              + " --tasks "
              + quote(file.toString())
              + "\n",
          StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(sidecar, PosixFilePermissions.fromString("rwx------"));
      arguments.addAll(List.of("--cluster-sidecar", sidecar.toString()));
      return new Hooks(dir, arguments);
    } catch (IOException | RuntimeException e) {
      delete(dir);
      if (e instanceof LightconeException l) {
        throw l;
      }
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write snakemake's Dask hooks into " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /** The snakemake arguments: {@code --cluster ... --cluster-sidecar ...}. */
  public List<String> arguments() {
    return arguments;
  }

  /**
   * How many times snakemake submitted {@code taskId}'s job (the sidecar keeps one state file per
   * attempt, {@code jobs/<id with / as %>#<attempt>}); 0 when it never did.
   */
  public int attempts(String taskId) {
    String prefix = taskId.replace('/', '%') + "#";
    int most = 0;
    try (Stream<Path> jobs = Files.list(directory.resolve("jobs"))) {
      for (Path job : jobs.toList()) {
        String name = job.getFileName().toString();
        if (name.startsWith(prefix)) {
          try {
            most = Math.max(most, Integer.parseInt(name.substring(prefix.length())));
          } catch (NumberFormatException e) {
            // Not a state file.
          }
        }
      }
    } catch (IOException e) {
      return 0; // no job was submitted
    }
    return most;
  }

  /** Removes the table and scripts. */
  @Override
  public void close() {
    delete(directory);
  }

  /** POSIX shell quoting: snakemake runs each hook through a shell. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover in the temporary directory; nothing the run's outcome depends on.
    }
  }
}
