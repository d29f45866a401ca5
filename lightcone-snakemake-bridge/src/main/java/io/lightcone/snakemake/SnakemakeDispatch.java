package io.lightcone.snakemake;

import io.lightcone.TaskId;
import io.lightcone.model.Resources;
import io.lightcone.spi.Cancellation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where snakemake sends its jobs instead of running them on this machine, through its cluster hooks
 * ({@code --cluster}, {@code --cluster-status}, {@code --cluster-cancel}, {@code
 * --cluster-sidecar}): snakemake keeps the DAG, the order, retries and keep-going; the dispatch
 * runs each job's task as its plumbing command ({@code lc task run ...}), which publishes the
 * output with its manifest where snakemake then finds it. Implemented by lightcone-dask-bridge's
 * {@code DaskDispatch}; given to {@link SnakemakeSubstrate#dispatch(SnakemakeDispatch)}.
 */
public interface SnakemakeDispatch {
  /** A name for messages and {@code lc run --dispatch}, e.g. {@code dask}. */
  String name();

  /**
   * Whether the jobs run on this machine (a cluster the dispatch starts here) rather than
   * elsewhere; see {@code Substrate.runsOnThisMachine()}. The default, false, suits a dispatch that
   * sends them away.
   */
  default boolean runsOnThisMachine() {
    return false;
  }

  /**
   * Gets ready for one snakemake run (e.g. starts a cluster); blocks until it is.
   *
   * @param project the project directory, snakemake's working directory
   * @param jobs every task snakemake may submit
   * @param cancellation the execution's; a cancel while starting ends the start
   * @return the session, or empty when cancelled while starting
   * @throws io.lightcone.LightconeException of kind ENVIRONMENT when what it needs is missing
   */
  Optional<Session> start(Path project, List<Job> jobs, Cancellation cancellation);

  /**
   * One task as snakemake submits it.
   *
   * @param id the task
   * @param output its output directory relative to the project, as snakemake names the job's first
   *     output
   * @param command its plumbing command
   * @param resources the recipe's resources, when declared
   */
  record Job(TaskId id, String output, List<String> command, Optional<Resources> resources) {
    public Job {
      command = List.copyOf(command);
    }
  }

  /** A dispatch ready for one snakemake run; closed when the run ends, however it ends. */
  interface Session extends AutoCloseable {
    /** The snakemake arguments that hand its jobs to this dispatch. */
    List<String> arguments();

    /**
     * A line for people on where the jobs go (a cluster's address and dashboard), told to the
     * execution's listener as a substrate note; empty by default.
     */
    default Optional<String> note() {
      return Optional.empty();
    }

    /**
     * How many times snakemake submitted {@code task}'s job in this run (retries count); 0: never.
     */
    int attempts(TaskId task);

    /** Stops what {@code start} started; nothing of the run goes on after it returns. */
    @Override
    void close();
  }
}
