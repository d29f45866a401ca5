package io.lightcone.snakemake.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one place in the bridge that reads the process environment (STYLE rule 4): the variables
 * snakemake runs with, where to find it ({@code LIGHTCONE_SNAKEMAKE}, else {@code PATH}). Tests
 * give their own.
 *
 * <pre>{@code Environment.system().variable("LIGHTCONE_SNAKEMAKE")}</pre>
 *
 * @param variables environment variables, passed on to snakemake
 */
public record Environment(Map<String, String> variables) {
  /** Names the snakemake executable to run instead of the one on {@code PATH}. */
  static final String SNAKEMAKE = "LIGHTCONE_SNAKEMAKE";

  public Environment {
    variables = Map.copyOf(variables);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isEmpty());
  }

  /** The first executable file called {@code name} in a directory of {@code PATH}. */
  Optional<Path> onPath(String name) {
    for (String dir : variable("PATH").orElse("").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
