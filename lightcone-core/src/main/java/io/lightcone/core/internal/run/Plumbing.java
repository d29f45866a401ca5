package io.lightcone.core.internal.run;

import io.lightcone.core.TaskLauncher;
import io.lightcone.core.internal.Environment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * How to start {@code lc} in another process for the plumbing command {@code lc task run}: the
 * launcher named by {@code LIGHTCONE_LC}, else this JVM with its own class path, the options it
 * shares ({@link Environment#jvmOptions()}) and the main class the {@link TaskLauncher} on the
 * class path names (lightcone-cli's), else {@code lc} on {@code PATH}.
 */
final class Plumbing {
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
            () ->
                mainClass()
                    .map(
                        main -> {
                          List<String> argv = new ArrayList<>();
                          argv.add(Path.of(environment.javaHome(), "bin", "java").toString());
                          argv.addAll(environment.jvmOptions());
                          argv.addAll(List.of("-cp", absolute(environment.classPath()), main));
                          return argv;
                        })
                    .orElse(List.of("lc")));
  }

  /** The main class a {@link TaskLauncher} on the class path names (lightcone-cli's). */
  static Optional<String> mainClass() {
    return ServiceLoader.load(TaskLauncher.class, Plumbing.class.getClassLoader())
        .findFirst()
        .map(l -> l.mainClass().getName());
  }
}
