package io.lightcone.snakemake;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.snakemake.internal.Environment;
import io.lightcone.snakemake.internal.Settings;
import io.lightcone.snakemake.internal.SnakemakeRun;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.SchedulingOptions;
import io.lightcone.spi.Substrate;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a plan with the real {@code snakemake} (7.x; Debian: {@code apt-get install snakemake}).
 * Lightcone writes {@code .lightcone/Snakefile} — one rule per output, {@code {universe}} the only
 * wildcard — and its JSON sidecar, then runs snakemake, which owns the order, the parallelism,
 * retries and keep-going, while checking, hashing, manifests and atomic publication stay the task
 * runner's: each rule hands its task back to the task runner of the executing process (or, when the
 * Snakefile is run by hand, runs the {@code lc task run} plumbing command). Snakemake's output is
 * kept in {@code .lightcone/logs/snakemake.log}. Configure with the copy-on-write setters:
 *
 * <pre>{@code
 * plan.execute(SnakemakeSubstrate.create().jobs(4).keepGoing(true).retries(1));
 * }</pre>
 *
 * <p>snakemake is {@link #executable(Path)}, else {@code LIGHTCONE_SNAKEMAKE}, else the first on
 * {@code PATH}; a missing or too old one is a {@link LightconeException} of kind ENVIRONMENT. Found
 * by {@link java.util.ServiceLoader} under the name {@code snakemake}.
 */
public final class SnakemakeSubstrate implements Substrate {
  private final Settings settings;

  /**
   * A substrate with one task per cpu, no keep-going, no retries; for {@link
   * java.util.ServiceLoader}, which needs a public constructor. Prefer {@link #create()}.
   */
  public SnakemakeSubstrate() {
    this(Settings.defaults());
  }

  private SnakemakeSubstrate(Settings settings) {
    this.settings = settings;
  }

  /** A substrate with one task per cpu, no keep-going, no retries. */
  public static SnakemakeSubstrate create() {
    return new SnakemakeSubstrate();
  }

  /** At most this many tasks at once ({@code -j}; snakemake's {@code --cores}). */
  public SnakemakeSubstrate jobs(int jobs) {
    require(jobs >= 1, "jobs must be >= 1");
    return new SnakemakeSubstrate(settings.withJobs(jobs));
  }

  /** After a failure, go on with every task that does not depend on it ({@code --keep-going}). */
  public SnakemakeSubstrate keepGoing(boolean keepGoing) {
    return new SnakemakeSubstrate(settings.withKeepGoing(keepGoing));
  }

  /** Run a failed task again up to {@code retries} more times ({@code --restart-times}). */
  public SnakemakeSubstrate retries(int retries) {
    require(retries >= 0, "retries must be >= 0");
    return new SnakemakeSubstrate(settings.withRetries(retries));
  }

  /**
   * Snakemake owns the DAG: the options become its {@code --cores}, {@code --keep-going} and {@code
   * --restart-times}.
   */
  @Override
  public SnakemakeSubstrate with(SchedulingOptions options) {
    SnakemakeSubstrate s = keepGoing(options.keepGoing()).retries(options.retries());
    return options.jobs().isPresent() ? s.jobs(options.jobs().getAsInt()) : s;
  }

  /**
   * The memory tasks may use together on this machine, e.g. {@code "8Gi"} (default: this
   * machine's), as snakemake's {@code --resources mem_mb}: each rule declares its task's {@code
   * memory} as {@code mem_mb}, and snakemake runs at once only what fits.
   */
  public SnakemakeSubstrate memory(String memory) {
    long bytes =
        io.lightcone.model.Resources.parseBytes(memory)
            .orElseThrow(
                () ->
                    new LightconeException(
                        LightconeException.Kind.USER_INPUT,
                        "memory '" + memory + "': write a size like 8Gi or 16GB"));
    return new SnakemakeSubstrate(settings.withMemory(bytes));
  }

  /** The gpus tasks may use together on this machine (default 0): {@code --resources gpus}. */
  public SnakemakeSubstrate gpus(int gpus) {
    require(gpus >= 0, "gpus must be >= 0");
    return new SnakemakeSubstrate(settings.withGpus(gpus));
  }

  /** The snakemake to run, instead of {@code LIGHTCONE_SNAKEMAKE} or the one on {@code PATH}. */
  public SnakemakeSubstrate executable(Path snakemake) {
    return new SnakemakeSubstrate(
        settings.withExecutable(Objects.requireNonNull(snakemake, "snakemake")));
  }

  /**
   * Snakemake sends its jobs to {@code dispatch} (e.g. {@code DaskDispatch.create()} of
   * lightcone-dask-bridge) through its cluster hooks, instead of running them on this machine; it
   * still owns the order, retries and keep-going, and {@code jobs} caps the jobs submitted at once.
   */
  public SnakemakeSubstrate dispatch(SnakemakeDispatch dispatch) {
    return new SnakemakeSubstrate(
        settings.withDispatch(Objects.requireNonNull(dispatch, "dispatch")));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, message);
    }
  }

  @Override
  public String name() {
    return "snakemake";
  }

  /**
   * Runs the plan's tasks to run with snakemake and waits for it.
   *
   * @throws LightconeException of kind ENVIRONMENT when snakemake is missing or too old
   */
  @Override
  public ExecutionReport execute(ExecutionContext context) {
    return SnakemakeRun.execute(context, settings, Environment.system());
  }

  /**
   * Writes {@code .lightcone/Snakefile} for {@code plan} and returns what snakemake says it would
   * run ({@code snakemake --dry-run}), without running anything.
   *
   * @throws LightconeException of kind ENVIRONMENT when snakemake is missing, too old, or rejects
   *     the workflow
   */
  public String dryRun(Plan plan) {
    return SnakemakeRun.dryRun(plan, settings, Environment.system());
  }

  /** Snakemake's {@code --dry-run} of the workflow it would be given ({@link #dryRun}). */
  @Override
  public Optional<DryRun> dryRunner() {
    return Optional.of(
        new DryRun() {
          @Override
          public String heading() {
            return "snakemake --dry-run of .lightcone/Snakefile";
          }

          @Override
          public String describe(Plan plan) {
            return dryRun(plan);
          }
        });
  }

  /** True unless Snakemake sends its jobs elsewhere ({@link #dispatch}). */
  @Override
  public boolean runsOnThisMachine() {
    return settings.dispatch().map(SnakemakeDispatch::runsOnThisMachine).orElse(true);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SnakemakeSubstrate[jobs=%d, keepGoing=%s, retries=%d, executable=%s, dispatch=%s]",
        settings.cores(),
        settings.keepGoing(),
        settings.retries(),
        settings.executable().map(Path::toString).orElse("LIGHTCONE_SNAKEMAKE or PATH"),
        settings.dispatch().map(SnakemakeDispatch::name).orElse("this machine"));
  }
}
