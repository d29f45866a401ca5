package io.lightcone.snakemake.internal;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snakemake to run: {@link Settings#executable()}, else {@code LIGHTCONE_SNAKEMAKE}, else the
 * first {@code snakemake} on {@code PATH}; checked to be 7.0 or newer (tested with Debian
 * bookworm's 7.21). A missing or too old one is an environment error that says how to install it.
 *
 * @param executable the snakemake executable
 * @param version its version, e.g. {@code 7.21.0}
 */
record Installation(Path executable, String version) {
  /** The oldest major version the generated Snakefile and the flags Lightcone passes work with. */
  static final int MIN_MAJOR = 7;

  static final String INSTALL =
      "install it (Debian/Ubuntu: apt-get install snakemake) or set LIGHTCONE_SNAKEMAKE to its path";

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
  private static final long VERSION_TIMEOUT_SECONDS = 60;

  static Installation locate(Environment environment, Optional<Path> configured) {
    return locate(environment, configured, Optional.empty());
  }

  /**
   * As {@link #locate(Environment, Optional)}, remembering the version found in {@code memo} for
   * the executable as it is now (its real path, size and modification time): {@code snakemake
   * --version} costs a quarter of a second, on every run and every dry run.
   */
  static Installation locate(
      Environment environment, Optional<Path> configured, Optional<Path> memo) {
    Optional<Path> explicit =
        configured.or(() -> environment.variable(Environment.SNAKEMAKE).map(Path::of));
    Path executable =
        explicit
            .or(() -> environment.onPath("snakemake"))
            .orElseThrow(
                () ->
                    new LightconeException(
                        LightconeException.Kind.ENVIRONMENT,
                        "snakemake is not installed (no snakemake on PATH); " + INSTALL));
    if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "snakemake " + executable + " is not an executable file; " + INSTALL);
    }
    String identity = identity(executable);
    Optional<String> remembered = memo.flatMap(m -> remembered(m, identity));
    if (remembered.isPresent()) {
      return new Installation(executable, remembered.get());
    }
    String output = version(executable);
    Matcher m = VERSION.matcher(output);
    if (!m.find()) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          executable + " --version printed '" + output.strip() + "', not a version; " + INSTALL);
    }
    if (Integer.parseInt(m.group(1)) < MIN_MAJOR) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "snakemake "
              + m.group()
              + " at "
              + executable
              + " is too old: Lightcone needs "
              + MIN_MAJOR
              + ".0 or newer; "
              + INSTALL);
    }
    memo.ifPresent(f -> remember(f, identity, m.group()));
    return new Installation(executable, m.group());
  }

  private static String identity(Path executable) {
    try {
      Path real = executable.toRealPath();
      return real + "\t" + Files.size(real) + "\t" + Files.getLastModifiedTime(real).toMillis();
    } catch (IOException e) {
      return executable.toString();
    }
  }

  private static Optional<String> remembered(Path memo, String identity) {
    try {
      List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
      return lines.size() == 2 && lines.get(0).equals(identity)
          ? Optional.of(lines.get(1))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // none yet: ask snakemake
    }
  }

  private static void remember(Path memo, String identity, String version) {
    try {
      Workflow.writeAtomically(memo, identity + "\n" + version + "\n");
    } catch (IOException e) {
      // Not remembered: the next run asks snakemake again, which is only slower.
    }
  }

  private static String version(Path executable) {
    Path output = null;
    try {
      // Into a file, not a pipe: a snakemake that hangs must not hang the reader past the timeout.
      output = Files.createTempFile("lightcone-snakemake-version", ".txt");
      Process p =
          new ProcessBuilder(executable.toString(), "--version")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            executable + " --version did not answer in " + VERSION_TIMEOUT_SECONDS + " s");
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            executable
                + " --version failed (exit "
                + p.exitValue()
                + "): "
                + out.strip()
                + "; "
                + INSTALL);
      }
      return out;
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot run " + executable + ": " + e.getMessage() + "; " + INSTALL,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LightconeException(
          LightconeException.Kind.INTERRUPTED, "interrupted while checking snakemake", e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // A leftover file in the temp directory; nothing to tell the user about.
        }
      }
    }
  }
}
