package io.lightcone.cli;

import io.lightcone.Lightcone;
import picocli.CommandLine.IVersionProvider;

/** {@code lc --version}: the library's version, which manifests record as {@code lc_version}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "lc " + Lightcone.version() + " (Lightcone for Java)", "Java " + Runtime.version()
    };
  }
}
