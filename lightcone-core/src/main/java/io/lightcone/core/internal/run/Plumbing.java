package io.lightcone.core.internal.run;

import io.lightcone.core.internal.Environment;
import java.nio.file.Path;
import java.util.List;

/**
 * How to start {@code lc} in another process for the plumbing command {@code lc task run}: the
 * launcher named by {@code LIGHTCONE_LC}, else this JVM with its own class path and the CLI's main
 * class.
 */
final class Plumbing {
  static final String CLI_MAIN = "io.lightcone.cli.Main";

  private Plumbing() {}

  static List<String> launcher(Environment environment) {
    return environment
        .variable("LIGHTCONE_LC")
        .map(List::of)
        .orElseGet(
            () ->
                List.of(
                    Path.of(environment.javaHome(), "bin", "java").toString(),
                    "-cp",
                    environment.classPath(),
                    CLI_MAIN));
  }
}
