package io.lightcone.dask;

import io.lightcone.spi.Substrate;
import io.lightcone.testkit.SubstrateConformance;

/**
 * {@link DaskSubstrate} passes the suite every substrate must pass, on a real local Dask cluster
 * (python3-distributed; missing, these tests fail) running the real plumbing command.
 */
class DaskSubstrateConformanceIT extends SubstrateConformance {
  @Override
  protected Substrate substrate(Settings settings) {
    return DaskSubstrate.create()
        .jobs(settings.jobs())
        .keepGoing(settings.keepGoing())
        .retries(settings.retries());
  }
}
