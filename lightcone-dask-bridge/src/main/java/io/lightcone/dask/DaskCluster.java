package io.lightcone.dask;

import io.lightcone.dask.internal.DaskEnvironment;
import io.lightcone.dask.internal.Keeper;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Dask cluster of one run. {@link #forRun()} takes the first that applies:
 *
 * <ol>
 *   <li>{@code DASK_SCHEDULER_ADDRESS} is set: attach to that scheduler; it is never shut down;
 *   <li>{@code SLURM_JOB_ID} is set (inside {@code salloc} or {@code sbatch}): a scheduler on this
 *       node, bound to a host name the other nodes resolve, and one worker per node started with
 *       {@code srun --ntasks=$SLURM_NNODES --ntasks-per-node=1}, each advertising its node's {@code
 *       cpus}, {@code memory} and {@code gpus}; it waits until every worker has joined;
 *   <li>else a cluster on this machine: a scheduler on 127.0.0.1 and one worker with this machine's
 *       cpus and memory.
 * </ol>
 *
 * A cluster it starts speaks TLS only ({@code tls://} addresses), with a CA, certificate and key
 * made for that cluster alone, kept mode 0600 in a private run directory (0700) under the project's
 * {@code .lightcone/dask/} (see {@link #forRun(Path)}), where the SLURM workers read them over the
 * project's file system: a process without them cannot connect. An attached scheduler is reached as
 * Dask's own configuration says ({@code DASK_DISTRIBUTED__COMM__TLS__*}, a {@code tls://} address).
 *
 * <p>A cluster it started lives exactly as long as this object: {@link #close()} retires the
 * workers, stops {@code srun} and the scheduler. Its processes also end by themselves when the JVM
 * dies.
 *
 * <pre>{@code
 * try (DaskCluster cluster = DaskCluster.forRun()) {
 *   plan.execute(DaskSubstrate.on(cluster)).throwIfFailed();
 * }
 * }</pre>
 */
public final class DaskCluster implements AutoCloseable {
  /** Where a cluster comes from. */
  public enum Kind {
    /** An existing scheduler ({@code DASK_SCHEDULER_ADDRESS}); not ours to stop. */
    ATTACHED,
    /** Started inside a SLURM allocation: one worker per node. */
    SLURM,
    /** Started on this machine. */
    LOCAL
  }

  private final Kind kind;
  private final String address;
  private final Optional<String> dashboard;
  private final List<String> workers;
  private final DaskEnvironment environment;
  private final Path root;
  private final Keeper keeper;
  private final Optional<Path> credentials;

  private DaskCluster(
      Kind kind, String address, DaskEnvironment environment, Path root, Keeper keeper) {
    this(kind, address, environment, root, keeper, Optional.empty());
  }

  private DaskCluster(
      Kind kind,
      String address,
      DaskEnvironment environment,
      Path root,
      Keeper keeper,
      Optional<Path> credentials) {
    this.credentials = credentials;
    this.kind = kind;
    this.address = address;
    this.environment = environment;
    this.root = root;
    this.keeper = keeper;
    this.dashboard = keeper == null ? Optional.empty() : keeper.dashboard();
    this.workers =
        keeper == null
            ? List.of()
            : keeper.workers().stream().map(Keeper.Worker::toString).toList();
  }

  /**
   * The cluster for a run of the project in {@code project}, discovered from this process's
   * environment as described above; its scripts and credentials are kept under {@code
   * project/.lightcone/dask/}.
   *
   * @throws io.lightcone.LightconeException of kind ENVIRONMENT when python3-distributed is
   *     missing, the private directory is not private (another owner, a wider mode), or the workers
   *     do not all join in time ({@code LIGHTCONE_DASK_WAIT_SECONDS}, default 120)
   */
  public static DaskCluster forRun(Path project) {
    return forRun(DaskEnvironment.system(), Optional.of(project));
  }

  /**
   * The same, outside a project: scripts and credentials under {@code
   * $XDG_RUNTIME_DIR/lightcone-dask} (outside SLURM), else {@code $HOME/.lightcone/dask}.
   */
  public static DaskCluster forRun() {
    return forRun(DaskEnvironment.system(), Optional.empty());
  }

  /**
   * Attaches to a running cluster started elsewhere (e.g. by {@code lc cluster up} in a SLURM job)
   * at {@code address}, presenting the credentials in {@code credentials} ({@code ca.pem}, {@code
   * cert.pem}, {@code key.pem}, as a cluster Lightcone starts makes them). The cluster is never
   * stopped by {@link #close()}; the run's scripts are kept under {@code project/.lightcone/dask/}.
   */
  public static DaskCluster attach(Path project, String address, Path credentials) {
    Objects.requireNonNull(address, "address");
    DaskEnvironment environment = DaskEnvironment.system();
    return new DaskCluster(
        Kind.ATTACHED,
        address,
        environment,
        environment.privateRoot(Optional.of(project)),
        null,
        Optional.of(credentials));
  }

  /**
   * The command that runs a cluster's keeper as the batch script of a SLURM job of its own: a
   * scheduler on the job's first node and one worker per node through {@code srun}, TLS only with
   * the credentials it makes in {@code directory} (private, on a file system every node sees, where
   * this also writes the keeper's script). It lives until SIGTERM ({@code scancel}) and writes its
   * "ready" line ({@code address}, {@code workers}) or its error into {@code readyFile}.
   *
   * @param workers how many workers (nodes) must join
   * @param wait how long the keeper waits for them once the job runs
   */
  public static List<String> batchKeeper(
      Path directory, int workers, Path readyFile, java.time.Duration wait) {
    return Keeper.batchCommand(DaskEnvironment.system(), directory, workers, readyFile, wait);
  }

  static DaskCluster forRun(DaskEnvironment environment) {
    return forRun(environment, Optional.empty());
  }

  static DaskCluster forRun(DaskEnvironment environment, Optional<Path> project) {
    Objects.requireNonNull(environment, "environment");
    Path root = environment.privateRoot(project);
    Optional<String> attach = environment.schedulerAddress();
    if (attach.isPresent()) {
      return new DaskCluster(Kind.ATTACHED, attach.get(), environment, root, null);
    }
    if (environment.slurmJob().isPresent()) {
      Keeper k = Keeper.slurm(environment, root);
      return new DaskCluster(Kind.SLURM, k.address(), environment, root, k);
    }
    Keeper k = Keeper.local(environment, root);
    return new DaskCluster(Kind.LOCAL, k.address(), environment, root, k);
  }

  public Kind kind() {
    return kind;
  }

  /** The scheduler's address, e.g. {@code tls://127.0.0.1:40123}. */
  public String address() {
    return address;
  }

  /** The dashboard's link, when the scheduler serves one (it needs bokeh). */
  public Optional<String> dashboard() {
    return dashboard;
  }

  /** The workers started for this run ({@code node1 on host1 (cpus 4, memory 15.6 GiB)}). */
  public List<String> workers() {
    return workers;
  }

  DaskEnvironment environment() {
    return environment;
  }

  /** Where the run's private directories go (see {@link DaskEnvironment#privateRoot}). */
  Path privateRoot() {
    return root;
  }

  /** The credentials of a cluster we started; empty when attached (Dask's configuration). */
  Optional<Path> tls() {
    return keeper == null ? credentials : Optional.of(keeper.tlsDirectory());
  }

  /** Stops what this object started (nothing when attached); waits until it is gone. Idempotent. */
  @Override
  public void close() {
    if (keeper != null) {
      keeper.close();
    }
  }

  @Override
  public String toString() {
    return "Dask "
        + kind.name().toLowerCase(java.util.Locale.ROOT)
        + " cluster at "
        + address
        + dashboard.map(d -> ", dashboard " + d).orElse("")
        + (workers.isEmpty() ? "" : ", workers: " + String.join("; ", workers));
  }
}
