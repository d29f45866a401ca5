package io.lightcone.dask;

import io.lightcone.snakemake.SnakemakeSubstrate;
import io.lightcone.spi.Substrate;
import io.lightcone.testkit.SubstrateConformance;

/**
 * Snakemake with Dask dispatch passes the suite every substrate must pass: the real snakemake owns
 * the DAG and sends each job through its cluster hooks to a real local Dask cluster, where the real
 * plumbing command runs it (python3-distributed and snakemake missing: these tests fail).
 */
class SnakemakeDaskConformanceIT extends SubstrateConformance {
  @Override
  protected Substrate substrate(Settings settings) {
    return SnakemakeSubstrate.create()
        .dispatch(DaskDispatch.create())
        .jobs(settings.jobs())
        .keepGoing(settings.keepGoing())
        .retries(settings.retries());
  }
}
