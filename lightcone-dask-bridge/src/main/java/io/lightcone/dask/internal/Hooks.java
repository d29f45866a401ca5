package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.spi.PrivateDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * Writes the task table for {@code tasks} into a new private directory under {@code root} (see
   * {@link DaskEnvironment#privateRoot}), and the scripts beside it; the sidecar connects to {@code
   * scheduler} with the credentials in {@code tls} (a cluster we started), else with Dask's own
   * configuration.
   *
   * @throws LightconeException of kind ENVIRONMENT when they cannot be written
   */
  public static Hooks prepare(
      DaskEnvironment environment,
      Path root,
      String scheduler,
      Optional<Path> tls,
      Path project,
      List<Task> tasks) {
    Path dir = PrivateDirectories.createTemp(PrivateDirectories.ensure(root), "hooks-");
    try {
      ObjectNode table = PyProcess.JSON.createObjectNode();
      for (Task t : tasks) {
        ObjectNode entry = table.putObject(t.output());
        entry.put("id", t.id()).put("cwd", project.toString());
        Runners.describe(entry, t.argv());
        ObjectNode res = entry.putObject("resources");
        t.resources().forEach((k, v) -> res.put(k, v.doubleValue()));
      }
      Path file =
          PrivateDirectories.write(
              dir.resolve("tasks.json"),
              PyProcess.JSON.writeValueAsString(table).getBytes(StandardCharsets.UTF_8),
              false);
      // The hooks need only the standard library: -S spares them site's imports.
      String python =
          quote(environment.python())
              + " "
              + String.join(" ", PyProcess.flags(environment))
              + " -S";
      String hooks = quote(PyProcess.script(dir, HOOKS_SCRIPT).toString());
      String dask = quote(PyProcess.script(dir, DASK_SCRIPT).toString());
      List<String> arguments = new ArrayList<>();
      arguments.addAll(List.of("--cluster", python + " " + hooks + " submit"));
      arguments.addAll(List.of("--cluster-status", "cat"));
      arguments.addAll(List.of("--cluster-cancel", python + " " + hooks + " cancel"));
      // Snakemake starts the sidecar without a shell: its command is one executable.
      StringBuilder sidecar =
          new StringBuilder("#!/bin/sh\nexec ")
              .append(quote(environment.python()))
              .append(" ")
              .append(String.join(" ", PyProcess.flags(environment)))
              .append(" ")
              .append(dask)
              .append(" hooks ")
              .append(quote(scheduler))
              .append(" --tasks ")
              .append(quote(file.toString()));
      tls.ifPresent(t -> sidecar.append(" --tls-dir ").append(quote(t.toString())));
      Path script =
          PrivateDirectories.write(
              dir.resolve("sidecar.sh"),
              sidecar.append("\n").toString().getBytes(StandardCharsets.UTF_8),
              true);
      arguments.addAll(List.of("--cluster-sidecar", script.toString()));
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
    PyProcess.delete(dir);
  }
}
