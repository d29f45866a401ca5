package io.lightcone.snakemake.internal;

import io.lightcone.snakemake.SnakemakeDispatch;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@link io.lightcone.snakemake.SnakemakeSubstrate} runs snakemake.
 *
 * @param jobs at most this many tasks at once ({@code --cores}, or with a dispatch {@code --jobs});
 *     0: one per cpu of this machine, or with a dispatch every task at once
 * @param keepGoing after a failure, go on with every task that does not depend on it ({@code
 *     --keep-going})
 * @param retries run a failed task again up to this many times ({@code --restart-times})
 * @param executable the snakemake to run; empty: {@code LIGHTCONE_SNAKEMAKE}, else {@code PATH}
 * @param dispatch where snakemake sends its jobs; empty: it runs them on this machine
 */
public record Settings(
    int jobs,
    boolean keepGoing,
    int retries,
    Optional<Path> executable,
    Optional<SnakemakeDispatch> dispatch) {
  /** One task per cpu, no keep-going, no retries, the snakemake found, on this machine. */
  public static Settings defaults() {
    return new Settings(0, false, 0, Optional.empty(), Optional.empty());
  }

  /** Snakemake's {@code --cores}: the jobs set, else one per cpu of this machine. */
  public int cores() {
    return jobs > 0 ? jobs : Runtime.getRuntime().availableProcessors();
  }

  public Settings withJobs(int jobs) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch);
  }

  public Settings withKeepGoing(boolean keepGoing) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch);
  }

  public Settings withRetries(int retries) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch);
  }

  public Settings withExecutable(Path executable) {
    return new Settings(jobs, keepGoing, retries, Optional.of(executable), dispatch);
  }

  public Settings withDispatch(SnakemakeDispatch dispatch) {
    return new Settings(jobs, keepGoing, retries, executable, Optional.of(dispatch));
  }
}
