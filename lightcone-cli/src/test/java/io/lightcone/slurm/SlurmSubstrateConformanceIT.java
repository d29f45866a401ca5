package io.lightcone.slurm;

import io.lightcone.spi.Substrate;
import io.lightcone.testkit.SubstrateConformance;
import java.time.Duration;

/**
 * {@link SlurmSubstrate} passes the suite every substrate must pass, on the real SLURM that {@code
 * .ci/run} starts ({@code .ci/slurm-single-node.sh}, two nodes on this machine): each task a job,
 * ordered by {@code afterok} dependencies, cancelled with {@code scancel}. Without SLURM these
 * tests fail, naming sbatch.
 */
class SlurmSubstrateConformanceIT extends SubstrateConformance {
  @Override
  protected Substrate substrate(Settings settings) {
    SlurmSubstrate s =
        SlurmSubstrate.create()
            .pollInterval(Duration.ofMillis(500))
            .keepGoing(settings.keepGoing())
            .retries(settings.retries());
    return settings.jobs() == Integer.MAX_VALUE ? s : s.maxJobs(settings.jobs());
  }
}
