package io.lightcone.samples;

import io.lightcone.testkit.TestProjects;
import java.nio.file.Path;

/** A clean copy of samples/period-luminosity: a run writes results/ and .lightcone/ into it. */
final class SampleCopy {
  private SampleCopy() {}

  /**
   * The copy, at {@code dir/period-luminosity}, without what earlier runs wrote into the sample.
   */
  static Path into(Path dir) {
    return TestProjects.copyOfSample("period-luminosity", dir.resolve("period-luminosity"));
  }
}
