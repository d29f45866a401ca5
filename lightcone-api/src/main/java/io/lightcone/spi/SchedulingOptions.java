package io.lightcone.spi;

import io.lightcone.LightconeException;
import java.util.OptionalInt;

/**
 * The options every substrate takes, whoever schedules its tasks: how many tasks at once ({@code
 * -j}), whether to go on after a failure ({@code --keep-going}), how many times to run a failed
 * task again ({@code --retries}). Applied with {@link Substrate#with(SchedulingOptions)}, so a
 * caller sets them once for any substrate.
 *
 * <pre>{@code
 * Substrate s = substrate.with(SchedulingOptions.DEFAULT.jobs(4).keepGoing(true).retries(1));
 * }</pre>
 *
 * @param jobs at most this many tasks at once; empty: the substrate's default
 * @param keepGoing after a failure, go on with every task that does not depend on it
 * @param retries run a failed task again up to this many more times
 */
public record SchedulingOptions(OptionalInt jobs, boolean keepGoing, int retries) {
  /** The substrate's own number of jobs, no keep-going, no retries. */
  public static final SchedulingOptions DEFAULT =
      new SchedulingOptions(OptionalInt.empty(), false, 0);

  public SchedulingOptions {
    if (jobs.isPresent() && jobs.getAsInt() < 1) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, "jobs must be >= 1");
    }
    if (retries < 0) {
      throw new LightconeException(LightconeException.Kind.USER_INPUT, "retries must be >= 0");
    }
  }

  public SchedulingOptions jobs(int jobs) {
    return new SchedulingOptions(OptionalInt.of(jobs), keepGoing, retries);
  }

  public SchedulingOptions keepGoing(boolean keepGoing) {
    return new SchedulingOptions(jobs, keepGoing, retries);
  }

  public SchedulingOptions retries(int retries) {
    return new SchedulingOptions(jobs, keepGoing, retries);
  }
}
