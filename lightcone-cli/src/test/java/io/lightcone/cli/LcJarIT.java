package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, run as users run it: {@code java -jar lightcone-cli-<version>-all.jar}. */
class LcJarIT {
  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private Run lc(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("lc.jar");
    assertThat(jar).as("system property lc.jar (set by failsafe)").isNotBlank();
    assertThat(Path.of(jar)).isRegularFile();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-jar", jar));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("lc finished within 60 s").isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void jar_validProject_exits0() throws Exception {
    Path project = TestProjects.validProject(dir.resolve("valid"));

    Run run = lc("validate", project.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("valid (0 errors");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void jar_invalidProject_exits3_withoutStackTrace() throws Exception {
    Path project = TestProjects.invalidProject(dir.resolve("invalid"));

    Run run = lc("validate", project.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out()).contains(project + "/astra.yaml:4:");
    assertThat(run.err()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void jar_missingDirectory_exits2_withoutStackTrace() throws Exception {
    Run run = lc("validate", dir.resolve("absent").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("lc: ").doesNotContain("\tat ", "Exception");
  }

  @Test
  void jar_version_exits0() throws Exception {
    Run run = lc("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("lc ").doesNotContain("unknown");
  }
}
