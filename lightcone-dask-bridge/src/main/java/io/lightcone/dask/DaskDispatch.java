package io.lightcone.dask;

import io.lightcone.TaskId;
import io.lightcone.dask.internal.DaskEnvironment;
import io.lightcone.dask.internal.Hooks;
import io.lightcone.snakemake.SnakemakeDispatch;
import io.lightcone.spi.Cancellation;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Snakemake with Dask dispatch: snakemake owns the DAG, the order, retries and keep-going, and
 * sends each job through its cluster hooks to a Dask cluster, where the task runs as its plumbing
 * command ({@code lc task run ...}) with the recipe's resources as Dask resources. The cluster is
 * {@link DaskCluster#forRun()} for each run (attach, SLURM or local), or one the caller gives.
 *
 * <pre>{@code
 * plan.execute(SnakemakeSubstrate.create().dispatch(DaskDispatch.create()).keepGoing(true));
 * }</pre>
 *
 * <p>For large plans {@link DaskSubstrate} does the same without snakemake's per-job cost.
 */
public final class DaskDispatch implements SnakemakeDispatch {
  private final DaskCluster cluster;
  private final DaskEnvironment environment;
  private final Consumer<DaskCluster> onCluster;

  private DaskDispatch(
      DaskCluster cluster, DaskEnvironment environment, Consumer<DaskCluster> onCluster) {
    this.cluster = cluster;
    this.environment = environment;
    this.onCluster = onCluster;
  }

  /** A dispatch that runs each snakemake run on its own {@link DaskCluster#forRun()}. */
  public static DaskDispatch create() {
    return new DaskDispatch(null, DaskEnvironment.system(), c -> {});
  }

  /** A dispatch onto {@code cluster}, which the caller closes. */
  public static DaskDispatch on(DaskCluster cluster) {
    return new DaskDispatch(cluster, cluster.environment(), c -> {});
  }

  /** Calls {@code action} with each run's cluster once it is up (e.g. to print its address). */
  public DaskDispatch onCluster(Consumer<DaskCluster> action) {
    return new DaskDispatch(cluster, environment, Objects.requireNonNull(action, "action"));
  }

  @Override
  public String name() {
    return "dask";
  }

  /** True for a cluster per run (started here) or a local one. */
  @Override
  public boolean runsOnThisMachine() {
    return cluster == null || cluster.kind() == DaskCluster.Kind.LOCAL;
  }

  @Override
  public Optional<Session> start(Path project, List<Job> jobs, Cancellation cancellation) {
    Optional<DaskCluster> started =
        Startup.interruptible(
            cancellation,
            () ->
                cluster == null ? DaskCluster.forRun(environment, Optional.of(project)) : cluster);
    if (started.isEmpty()) {
      return Optional.empty();
    }
    DaskCluster c = started.get();
    try {
      try {
        onCluster.accept(c);
      } catch (RuntimeException e) {
        // Like a listener's: a caller's announcement must not break the run.
      }
      List<Hooks.Task> tasks =
          jobs.stream()
              .map(
                  j ->
                      new Hooks.Task(
                          j.id().toString(),
                          j.output(),
                          j.command(),
                          DaskSubstrate.resources(j.resources())))
              .toList();
      Hooks hooks =
          Hooks.prepare(environment, c.privateRoot(), c.address(), c.tls(), project, tasks);
      return Optional.of(
          new Session() {
            @Override
            public List<String> arguments() {
              return hooks.arguments();
            }

            @Override
            public Optional<String> note() {
              return Optional.of(c.toString());
            }

            @Override
            public int attempts(TaskId id) {
              return hooks.attempts(id.toString());
            }

            @Override
            public void close() {
              hooks.close();
              if (cluster == null) {
                c.close();
              }
            }
          });
    } catch (RuntimeException e) {
      if (cluster == null) {
        c.close();
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "DaskDispatch[" + (cluster == null ? "a cluster per run" : cluster) + "]";
  }
}
