package io.lightcone.slurm.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the SLURM bridge reads from its surroundings: the environment variables it passes to the
 * SLURM commands and searches {@code PATH} with. The one class of the bridge that reads {@code
 * System.getenv}; everything else gets an instance.
 */
public record SlurmEnvironment(Map<String, String> variables) {
  public SlurmEnvironment {
    variables = Map.copyOf(variables);
  }

  public static SlurmEnvironment system() {
    return new SlurmEnvironment(System.getenv());
  }

  /** The executable {@code name} on {@code PATH}. */
  public Optional<Path> command(String name) {
    String path = variables.getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue; // an empty entry means the current directory: never run code from there
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
