package io.lightcone.cli;

import java.nio.file.Path;

/**
 * A training run for the class-data archive that {@code ./lc} keeps for faster start-up: runs the
 * everyday commands once on a fresh {@code lc init} project in a scratch directory, so that the JVM
 * started with {@code -XX:ArchiveClassesAtExit} archives the classes those commands load. Its
 * output is of no interest, and a command that fails (no {@code python3} for the recipes) still
 * loads most of what it would have.
 *
 * <pre>{@code
 * java -XX:ArchiveClassesAtExit=lc.jsa -cp lightcone-cli-all.jar \
 *     io.lightcone.cli.ClassDataTraining "$(mktemp -d)"
 * }</pre>
 */
public final class ClassDataTraining {
  private ClassDataTraining() {}

  /** Trains in {@code args[0]}, an empty scratch directory the caller removes afterwards. */
  public static void main(String[] args) {
    String project = Path.of(args[0]).resolve("training").toString();
    // Its own cache: a LIGHTCONE_CACHE shared with others must not receive training outputs.
    String cache = Path.of(args[0]).resolve("cache").toString();
    String[][] commands = {
      {"--version"},
      {"init", project},
      {"validate", project},
      {"plan", "-C", project, "--cache", cache},
      {"plan", "-C", project, "--cache", cache, "--json"},
      {"run", "-C", project, "--cache", cache, "-j", "2"},
      {"status", "-C", project},
      {"status", "-C", project, "--json"},
      {"verify", "-C", project, "--json"},
      {"explain", "-C", project, "estimate", "-u", "baseline"},
      {"results", "-C", project, "estimate.value"},
      {"run", "-C", project, "--force-all", "--no-cache"},
      {"plan", "-C", project, "--cache", cache, "--json"},
    };
    for (String[] command : commands) {
      Cli.run(command);
    }
  }
}
