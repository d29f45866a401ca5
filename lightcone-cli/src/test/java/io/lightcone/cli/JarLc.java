package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shaded jar, started as users start it — {@code java -jar lightcone-cli-<version>-all.jar} —
 * with its output in files under {@code dir}.
 */
final class JarLc {
  /** A finished {@code lc}. */
  record Run(int exitCode, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    /** Everything it printed, for assertion messages. */
    String all() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A started {@code lc}, with where its output goes. */
  record Started(Process process, Path out, Path err) {
    Run await(long seconds) {
      try {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("lc did not finish within " + seconds + " s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * Resets SIGINT to its default before exec'ing the JVM: a process started in the background by a
   * shell without job control inherits SIGINT ignored, and then the JVM would never see Ctrl-C.
   */
  private static final List<String> DEFAULT_SIGINT =
      List.of(
          "python3",
          "-c",
          "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
              + " os.execvp(sys.argv[1], sys.argv[1:])");

  private final Path dir;
  private final AtomicInteger runs = new AtomicInteger();

  JarLc(Path dir) {
    this.dir = dir;
  }

  static List<String> javaJar() {
    String jar = System.getProperty("lc.jar");
    assertThat(jar).as("system property lc.jar (set by failsafe)").isNotBlank();
    assertThat(Path.of(jar)).isRegularFile();
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-jar", jar);
  }

  /** Runs {@code lc args} and waits for it (at most a minute). */
  Run run(String... args) {
    return start(Map.of(), false, args).await(60);
  }

  /** Starts {@code lc args} with {@code env} added to the environment. */
  Started start(Map<String, String> env, boolean defaultSigint, String... args) {
    List<String> command = new ArrayList<>();
    if (defaultSigint) {
      command.addAll(DEFAULT_SIGINT);
    }
    command.addAll(javaJar());
    command.addAll(List.of(args));
    int n = runs.incrementAndGet();
    Path out = dir.resolve("lc-" + n + ".out");
    Path err = dir.resolve("lc-" + n + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    try {
      return new Started(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
