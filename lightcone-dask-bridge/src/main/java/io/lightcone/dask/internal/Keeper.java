package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightcone.LightconeException;
import io.lightcone.spi.PrivateDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Dask cluster of our own: {@code lightcone_dask.py cluster} runs the scheduler and starts the
 * workers (a local one, or one per node through {@code srun}), says when all have joined, and on
 * {@link #close()} — or when the JVM is gone — retires the workers, stops srun and the scheduler.
 *
 * <p>The cluster speaks TLS only: the keeper makes a CA, a certificate and its key for this cluster
 * alone (Python {@code cryptography}) in a private run directory (mode 0700, files 0600) under
 * {@link DaskEnvironment#privateRoot}, where its workers (through {@code srun}, on the project's
 * file system) and the run's client read them; a process without them cannot connect. The directory
 * is removed when the cluster stops.
 *
 * <pre>{@code try (Keeper k = Keeper.local(env, root)) { k.address(); }}</pre>
 */
public final class Keeper implements AutoCloseable {
  /** Longer than the Python side's own bounded teardown (retire, srun, scheduler). */
  private static final Duration TEARDOWN = Duration.ofSeconds(45);

  private final PyProcess process;
  private final Path directory;
  private final String address;
  private final Optional<String> dashboard;
  private final List<Worker> workers;

  /**
   * A worker as the scheduler saw it join.
   *
   * @param name the worker's name ({@code local}, or the SLURM node)
   * @param host where it runs
   * @param threads how many tasks it runs at once at most
   * @param resources what it advertises: {@code cpus}, {@code memory} (bytes), {@code gpus}
   */
  public record Worker(String name, String host, int threads, Map<String, Double> resources) {
    static Worker of(JsonNode w) {
      Map<String, Double> resources = new TreeMap<>();
      w.path("resources")
          .fields()
          .forEachRemaining(e -> resources.put(e.getKey(), e.getValue().asDouble()));
      return new Worker(
          w.path("name").asText(), w.path("host").asText(), w.path("nthreads").asInt(), resources);
    }

    /** {@code node1 on host1 (cpus 4, gpus 1, memory 15.6 GiB)}. */
    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      resources.forEach(
          (k, v) ->
              parts.add(
                  k.equals("memory")
                      ? String.format(Locale.ROOT, "memory %.1f GiB", v / (1L << 30))
                      : k + " " + (v == Math.rint(v) ? String.valueOf(v.longValue()) : v)));
      return name + " on " + host + " (" + String.join(", ", parts) + ")";
    }
  }

  private Keeper(PyProcess process, Path directory, JsonNode ready) {
    this.process = process;
    this.directory = directory;
    this.address = ready.path("address").asText();
    this.dashboard =
        ready.path("dashboard").isTextual()
            ? Optional.of(ready.path("dashboard").asText())
            : Optional.empty();
    List<Worker> list = new ArrayList<>();
    ready.path("workers").forEach(w -> list.add(Worker.of(w)));
    this.workers = List.copyOf(list);
  }

  /** A scheduler on loopback and one worker with this machine's cpus and memory. */
  public static Keeper local(DaskEnvironment environment, Path root) {
    return start(environment, root, "local cluster", List.of("cluster", "--mode", "local"));
  }

  /**
   * A scheduler on this node, bound to a name the other nodes resolve, and one worker per node of
   * the allocation, started with {@code srun}.
   */
  public static Keeper slurm(DaskEnvironment environment, Path root) {
    List<String> args = new ArrayList<>(List.of("cluster", "--mode", "slurm"));
    args.add("--workers");
    args.add(String.valueOf(environment.slurmNodes()));
    environment
        .slurmCpusPerNode()
        .ifPresent(
            c -> {
              args.add("--cpus-per-worker");
              args.add(String.valueOf(c));
            });
    return start(environment, root, "SLURM cluster", args);
  }

  /**
   * The command line of a detached keeper ({@code cluster --mode slurm --detached}), its script
   * written into {@code dir}: see {@link io.lightcone.dask.DaskCluster#batchKeeper}.
   */
  public static List<String> batchCommand(
      DaskEnvironment environment, Path dir, int workers, Path readyFile, Duration wait) {
    List<String> argv = new ArrayList<>();
    argv.add(environment.python());
    argv.addAll(PyProcess.flags(environment));
    argv.add(PyProcess.script(dir, "lightcone_dask.py").toString());
    argv.addAll(
        List.of(
            "cluster",
            "--mode",
            "slurm",
            "--detached",
            "--workers",
            String.valueOf(workers),
            "--wait",
            String.valueOf(wait.toSeconds()),
            "--tls-dir",
            dir.toString(),
            "--ready-file",
            readyFile.toString()));
    return argv;
  }

  private static Keeper start(
      DaskEnvironment environment, Path root, String what, List<String> args) {
    Path dir = PrivateDirectories.createTemp(PrivateDirectories.ensure(root), "cluster-");
    try {
      return startIn(environment, dir, what, args);
    } catch (RuntimeException e) {
      PyProcess.delete(dir);
      throw e;
    }
  }

  private static Keeper startIn(
      DaskEnvironment environment, Path dir, String what, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--wait");
    all.add(String.valueOf(environment.workerWait().toSeconds()));
    all.add("--tls-dir");
    all.add(dir.toString());
    PyProcess process = PyProcess.start(environment, dir, what, all);
    Duration limit = environment.workerWait().plusSeconds(30);
    JsonNode first;
    try {
      first = process.next(limit);
    } catch (InterruptedException e) {
      process.stop(Duration.ofSeconds(10)); // it winds up what it started so far
      Thread.currentThread().interrupt();
      throw new LightconeException(
          LightconeException.Kind.INTERRUPTED, "interrupted while starting the Dask " + what, e);
    }
    if (first != null && "ready".equals(first.path("event").asText())) {
      return new Keeper(process, dir, first);
    }
    process.stop(Duration.ofSeconds(10));
    String why =
        first == null
            ? "it did not come up within " + limit.toSeconds() + " s"
            : first == PyProcess.EOF ? "it ended at once" : first.path("message").asText();
    String tail = process.stderrTail();
    throw new LightconeException(
        LightconeException.Kind.ENVIRONMENT,
        "cannot start the Dask " + what + ": " + why + (tail.isBlank() ? "" : "\n" + tail.strip()));
  }

  public String address() {
    return address;
  }

  public Optional<String> dashboard() {
    return dashboard;
  }

  /** The directory of the cluster's CA, certificate and key, for its clients. */
  public Path tlsDirectory() {
    return directory;
  }

  public List<Worker> workers() {
    return workers;
  }

  /** Retires the workers, stops srun and the scheduler, and waits until they are gone. */
  @Override
  public void close() {
    process.stop(TEARDOWN);
    PyProcess.delete(directory);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s at %s, %d worker(s)", process, address, workers.size());
  }
}
