package io.lightcone.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code samples/period-luminosity.jsh} run by the JDK's own {@code jshell}, as a user runs it. */
class PeriodLuminosityJShellIT {
  private static final Path SCRIPT = Path.of("period-luminosity.jsh").toAbsolutePath();

  @TempDir Path dir;

  /**
   * This module's test class path, minus entries that do not exist: jshell refuses those, and the
   * module has no main classes, so {@code target/classes} is never made.
   */
  private static String classPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> Files.exists(Path.of(entry)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  @Test
  void jshellScript_plansRunsAndReportsEverythingOk_exits0() throws Exception {
    // A clean copy: the script's run writes results/ and .lightcone/ into the project.
    Path project = SampleCopy.into(dir);
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    // A private preferences root, as a fresh machine has none, made in advance: JShell logs to
    // stderr when it has to create ~/.java/.userPrefs (java.util.prefs' own message).
    Files.createDirectories(dir.resolve("prefs/.java/.userPrefs"));
    Path out = dir.resolve("jshell.out");
    Path err = dir.resolve("jshell.err");

    Process process =
        new ProcessBuilder(
                List.of(
                    jshell.toString(),
                    "-J-Djava.util.prefs.userRoot=" + dir.resolve("prefs"),
                    "-R-Djava.util.prefs.userRoot=" + dir.resolve("prefs"),
                    "--class-path",
                    classPath(),
                    "-R-Dlightcone.project=" + project,
                    SCRIPT.toString()))
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("jshell finished in 2 minutes").isTrue();
    String printed = Files.readString(out);
    String errors = Files.readString(err);
    assertThat(process.exitValue()).as(printed + errors).isZero();
    assertThat(printed.lines())
        .startsWith(
            "Project period_luminosity (Cepheid period-luminosity relation and the distance to a"
                + " galaxy) at "
                + project
                + ": 5 outputs, 2 decisions, 1 sub-analyses, 2 universes")
        .contains(
            "TASK                                  ACTION  REASONS",
            "baseline/calibration.zero_point       run     missing",
            "11 tasks in 2 universe(s): 11 to run",
            "UNIVERSE       OUTPUT                  STATUS  REASONS",
            "robust_v_band  reddening_check         ok")
        .anyMatch(l -> l.matches("11 tasks on local in \\d+\\.\\ds: 11 succeeded"))
        .anyMatch(l -> l.matches("\\[\\d+/11] ok baseline/distance \\d+\\.\\ds"))
        .contains("11 outputs: 11 ok")
        .anyMatch(l -> l.matches("baseline +ols +wesenheit +lindegren2021 +18\\.4294"))
        .endsWith("2 universe(s), 3 decision(s)");
    assertThat(errors).isEmpty();
    assertThat(project.resolve("results/baseline/distance/distance.json")).isRegularFile();
  }
}
