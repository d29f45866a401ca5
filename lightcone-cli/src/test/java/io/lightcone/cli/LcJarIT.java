package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, run as users run it: {@code java -jar lightcone-cli-<version>-all.jar}. */
class LcJarIT {
  @TempDir Path dir;

  private JarLc.Run lc(String... args) {
    return new JarLc(dir).run(args);
  }

  @Test
  void jar_validProject_exits0() {
    Path project = TestProjects.validProject(dir.resolve("valid"));

    JarLc.Run run = lc("validate", project.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("valid (0 errors");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void jar_invalidProject_exits3_withoutStackTrace() {
    Path project = TestProjects.invalidProject(dir.resolve("invalid"));

    JarLc.Run run = lc("validate", project.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out()).contains(project + "/astra.yaml:4:");
    assertThat(run.err()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void jar_missingDirectory_exits2_withoutStackTrace() {
    JarLc.Run run = lc("validate", dir.resolve("absent").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("lc: ").doesNotContain("\tat ", "Exception");
  }

  @Test
  void jar_quiet_printsTheLastLineOnly_andAPipeGetsNoEscapeCodes() {
    Path project = TestProjects.oneTaskProject(dir.resolve("q"), "echo 1 > {output}/one.txt");

    JarLc.Run status = lc("status", "-q", "-C", project.toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).isEqualTo("1 outputs: 1 missing\n");

    // stdout is a file here, not a terminal: no colour, whatever NO_COLOR says.
    JarLc.Run run = lc("run", "-C", project.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("[1/1] ok only/answer ").doesNotContain("\u001b[", "\r");
  }

  @Test
  void jar_version_exits0() {
    JarLc.Run run = lc("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("lc ").doesNotContain("unknown");
  }

  @Test
  void jar_exportArchive_unpackedElsewhere_verifiesClean() throws Exception {
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("p"), "mkdir -p {output}/sub && echo 42 > {output}/sub/answer.txt");
    assertThat(lc("run", "-C", project.toString()).exitCode()).isZero();
    Path archive = dir.resolve("p.tar.zst");

    JarLc.Run export = lc("export", "archive", "-C", project.toString(), "-o", archive.toString());
    Path unpacked = dir.resolve("unpacked");
    ExportCommandTest.untar(archive, unpacked);
    JarLc.Run verify = lc("verify", "-C", unpacked.toString());

    assertThat(export.exitCode()).as(export.out() + export.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("1 outputs verified, no integrity failure.");
  }
}
