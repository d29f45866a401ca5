package io.lightcone.dask.internal;

import io.lightcone.LightconeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one place of the Dask bridge that reads the process environment and system properties (STYLE
 * rule 4). Every Python process the bridge starts gets exactly {@link #variables()}, so tests can
 * give their own.
 *
 * <pre>{@code
 * DaskEnvironment env = DaskEnvironment.system().with("DASK_SCHEDULER_ADDRESS", "tcp://h:8786");
 * }</pre>
 *
 * @param variables environment variables: discovery ({@code DASK_SCHEDULER_ADDRESS}, {@code
 *     SLURM_*}), {@code LIGHTCONE_PYTHON}, and what the Python processes inherit
 */
public record DaskEnvironment(Map<String, String> variables) {
  /** The interpreter that has python3-distributed on Debian (a {@code python3} on PATH may not). */
  public static final String DEFAULT_PYTHON = "/usr/bin/python3";

  public DaskEnvironment {
    variables = Map.copyOf(variables);
  }

  public static DaskEnvironment system() {
    return new DaskEnvironment(System.getenv());
  }

  /** The same environment with {@code name} set to {@code value}. */
  public DaskEnvironment with(String name, String value) {
    Map<String, String> copy = new HashMap<>(variables);
    copy.put(name, value);
    return new DaskEnvironment(copy);
  }

  /** The same environment without {@code name}. */
  public DaskEnvironment without(String name) {
    Map<String, String> copy = new HashMap<>(variables);
    copy.remove(name);
    return new DaskEnvironment(copy);
  }

  /** A variable, empty when unset or blank. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }

  /**
   * Where the bridge keeps its private run directories (scripts, the hooks' table, a cluster's TLS
   * credentials): {@code <project>/.lightcone/dask} when there is a project (on its file system,
   * which SLURM workers share); else {@code $XDG_RUNTIME_DIR/lightcone-dask} outside SLURM (a
   * per-user directory that is not shared between nodes); else {@code $HOME/.lightcone/dask}. Never
   * the shared temporary directory.
   *
   * @throws LightconeException of kind ENVIRONMENT when none of these is known
   */
  public Path privateRoot(Optional<Path> project) {
    if (project.isPresent()) {
      return project.get().toAbsolutePath().resolve(".lightcone").resolve("dask");
    }
    Optional<String> runtime = variable("XDG_RUNTIME_DIR");
    if (runtime.isPresent() && slurmJob().isEmpty()) {
      return Path.of(runtime.get()).resolve("lightcone-dask");
    }
    return variable("HOME")
        .map(h -> Path.of(h, ".lightcone", "dask"))
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.ENVIRONMENT,
                    "neither XDG_RUNTIME_DIR nor HOME is set: no private directory for the Dask"
                        + " bridge's scripts and keys; set HOME, or run inside a project"));
  }

  /** {@code LIGHTCONE_PYTHON}, else {@value #DEFAULT_PYTHON}. */
  public String python() {
    return variable("LIGHTCONE_PYTHON").orElse(DEFAULT_PYTHON);
  }

  /** An existing scheduler to attach to: {@code DASK_SCHEDULER_ADDRESS}. */
  public Optional<String> schedulerAddress() {
    return variable("DASK_SCHEDULER_ADDRESS");
  }

  /** The SLURM allocation we run in: {@code SLURM_JOB_ID}. */
  public Optional<String> slurmJob() {
    return variable("SLURM_JOB_ID");
  }

  /** Nodes of the allocation: {@code SLURM_NNODES} (or {@code SLURM_JOB_NUM_NODES}). */
  public int slurmNodes() {
    return number("SLURM_NNODES").or(() -> number("SLURM_JOB_NUM_NODES")).orElse(1);
  }

  /**
   * The cpus of the allocation's smallest node, from {@code SLURM_JOB_CPUS_PER_NODE} ({@code
   * 4(x2),2}): each worker's step asks this many, so none is refused on a smaller node.
   */
  public OptionalInt slurmCpusPerNode() {
    Optional<String> spec = variable("SLURM_JOB_CPUS_PER_NODE");
    if (spec.isEmpty()) {
      return OptionalInt.empty();
    }
    int min = Integer.MAX_VALUE;
    for (String part : spec.get().split(",")) {
      String n = part.replaceAll("\\(x\\d+\\)", "").strip();
      if (!n.matches("\\d{1,6}")) {
        return OptionalInt.empty();
      }
      min = Math.min(min, Integer.parseInt(n));
    }
    return min == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(min);
  }

  /** How long to wait for every worker to join: {@code LIGHTCONE_DASK_WAIT_SECONDS}, else 120 s. */
  public Duration workerWait() {
    return Duration.ofSeconds(number("LIGHTCONE_DASK_WAIT_SECONDS").orElse(120));
  }

  private Optional<Integer> number(String name) {
    return variable(name)
        .map(String::strip)
        .filter(v -> v.matches("\\d{1,6}"))
        .map(Integer::valueOf);
  }
}
