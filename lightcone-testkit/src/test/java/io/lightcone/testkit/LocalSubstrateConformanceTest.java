package io.lightcone.testkit;

import io.lightcone.core.LocalSubstrate;
import io.lightcone.spi.Substrate;

/** {@link LocalSubstrate}, the reference, passes the suite every substrate must pass. */
class LocalSubstrateConformanceTest extends SubstrateConformance {
  @Override
  protected Substrate substrate(Settings settings) {
    return LocalSubstrate.create()
        .jobs(settings.jobs())
        .keepGoing(settings.keepGoing())
        .retries(settings.retries());
  }
}
