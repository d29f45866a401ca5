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

  /**
   * The class path with every entry absolute: the plumbing command runs in another directory (the
   * project, a Dask worker's, a SLURM job's), where {@code java -jar lightcone-cli/target/...}'s
   * relative path would name nothing.
   */
  static String absolute(String classPath) {
    List<String> entries = new ArrayList<>();
    for (String e : classPath.split(java.io.File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(Path.of(e).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  static List<String> launcher(Environment environment) {
    return environment
        .variable("LIGHTCONE_LC")
        .map(List::of)
        .orElseGet(
            () -> {
              List<String> argv = new ArrayList<>();
              argv.add(Path.of(environment.javaHome(), "bin", "java").toString());
              argv.addAll(environment.jvmOptions());
              argv.addAll(List.of("-cp", absolute(environment.classPath()), CLI_MAIN));
              return argv;
            });
  }
}
