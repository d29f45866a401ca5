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
 * @param memory the memory (bytes) tasks may use together on this machine, as the local substrate's
 *     budget: snakemake's {@code --resources mem_mb} (10^6 bytes, rounded down); by default this
 *     machine's
 * @param gpus the gpus tasks may use together on this machine: {@code --resources gpus}; default 0,
 *     as on the local substrate
 */
public record Settings(
    int jobs,
    boolean keepGoing,
    int retries,
    Optional<Path> executable,
    Optional<SnakemakeDispatch> dispatch,
    long memory,
    int gpus) {
  /** One task per cpu, no keep-going, no retries, the snakemake found, on this machine. */
  public static Settings defaults() {
    return new Settings(0, false, 0, Optional.empty(), Optional.empty(), physicalMemory(), 0);
  }

  /** This machine's memory, as the local substrate counts it. */
  private static long physicalMemory() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Long.MAX_VALUE;
  }

  /**
   * Snakemake's {@code --resources}: the budgets every rule's declared {@code mem_mb} and {@code
   * gpus} (from {@code recipe.resources}) are counted against, so that snakemake runs at once only
   * what fits, as the local substrate does. A rule that asks for more than the whole budget is run
   * alone with its request lowered to the budget (Snakemake's rule), where the local substrate
   * fails it.
   */
  public java.util.List<String> resources() {
    return java.util.List.of(
        "--resources", "mem_mb=" + Math.max(1, memory / 1_000_000L), "gpus=" + gpus);
  }

  public Settings withMemory(long memory) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch, memory, gpus);
  }

  public Settings withGpus(int gpus) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch, memory, gpus);
  }

  /** Snakemake's {@code --cores}: the jobs set, else one per cpu of this machine. */
  public int cores() {
    return jobs > 0 ? jobs : Runtime.getRuntime().availableProcessors();
  }

  public Settings withJobs(int jobs) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch, memory, gpus);
  }

  public Settings withKeepGoing(boolean keepGoing) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch, memory, gpus);
  }

  public Settings withRetries(int retries) {
    return new Settings(jobs, keepGoing, retries, executable, dispatch, memory, gpus);
  }

  public Settings withExecutable(Path executable) {
    return new Settings(jobs, keepGoing, retries, Optional.of(executable), dispatch, memory, gpus);
  }

  public Settings withDispatch(SnakemakeDispatch dispatch) {
    return new Settings(jobs, keepGoing, retries, executable, Optional.of(dispatch), memory, gpus);
  }
}
