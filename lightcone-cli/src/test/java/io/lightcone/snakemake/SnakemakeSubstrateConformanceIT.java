package io.lightcone.snakemake;

import io.lightcone.spi.Substrate;
import io.lightcone.testkit.SubstrateConformance;

/**
 * {@link SnakemakeSubstrate} passes the suite every substrate must pass, with the real snakemake
 * (Debian's 7.21 in CI; a missing snakemake fails these tests) and the real plumbing command.
 */
class SnakemakeSubstrateConformanceIT extends SubstrateConformance {
  @Override
  protected Substrate substrate(Settings settings) {
    return SnakemakeSubstrate.create()
        .jobs(settings.jobs())
        .keepGoing(settings.keepGoing())
        .retries(settings.retries());
  }
}
