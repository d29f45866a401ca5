package io.lightcone.core.internal.run;

import io.lightcone.core.internal.Environment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start {@code lc} in another process for the plumbing command {@code lc task run}: the
 * launcher named by {@code LIGHTCONE_LC}, else this JVM with its own class path, the options it
 * shares ({@link Environment#jvmOptions()}) and the CLI's main class.
 */
final class Plumbing {
  static final String CLI_MAIN = "io.lightcone.cli.Main";

  private Plumbing() {}

  static List<String> launcher(Environment environment) {
    return environment
        .variable("LIGHTCONE_LC")
        .map(List::of)
        .orElseGet(
            () -> {
              List<String> argv = new ArrayList<>();
              argv.add(Path.of(environment.javaHome(), "bin", "java").toString());
              argv.addAll(environment.jvmOptions());
              argv.addAll(List.of("-cp", environment.classPath(), CLI_MAIN));
              return argv;
            });
  }
}
