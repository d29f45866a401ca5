package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  @TempDir static Path shared;
  private static Path ran;

  @TempDir Path dir;

  @BeforeAll
  static void runTheSampleOnce() {
    ran = RanSample.at(shared.resolve("pl"));
  }

  static void untar(Path archive, Path into) throws Exception {
    Files.createDirectories(into);
    Process tar =
        new ProcessBuilder("tar", "--zstd", "-xf", archive.toString(), "-C", into.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(output).isZero();
  }

  @Test
  void exportArchive_unpacked_verifiesClean_andStatusAllOk() throws Exception {
    Path archive = dir.resolve("pl.tar.zst");

    Lc.Result export = Lc.run("export", "archive", "-C", ran.toString(), "-o", archive.toString());
    Path unpacked = dir.resolve("elsewhere");
    untar(archive, unpacked);

    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).startsWith("wrote " + archive + ": ");
    Lc.Result verify = Lc.run("verify", "-C", unpacked.toString());
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.outLines()).endsWith("11 outputs verified, no integrity failure.");
    Lc.Result status = Lc.run("status", "-C", unpacked.toString());
    assertThat(status.outLines()).noneMatch(l -> l.matches("\\S+ +\\S+ +(stale|missing).*"));
    assertThat(Files.exists(unpacked.resolve("src"))).isFalse();
  }

  @Test
  void exportArchive_oneUniverse_onlyItsResults() throws Exception {
    Path archive = dir.resolve("b.tar.zst");

    Lc.Result export =
        Lc.run("export", "archive", "-u", "baseline", "-C", "" + ran, "-o", "" + archive);
    Path unpacked = dir.resolve("b");
    untar(archive, unpacked);

    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(unpacked.resolve("results/baseline")).isDirectory();
    assertThat(unpacked.resolve("results/robust_v_band")).doesNotExist();
    assertThat(unpacked.resolve("universes/robust_v_band.yaml")).doesNotExist();
    assertThat(Lc.run("verify", "-C", unpacked.toString()).exitCode()).isZero();
  }

  @Test
  void exportArchive_unknownUniverse_exits3() {
    Lc.Result export =
        Lc.run("export", "archive", "-u", "nope", "-C", "" + ran, "-o", "" + dir.resolve("x"));

    assertThat(export.exitCode()).isEqualTo(3);
    assertThat(export.err()).contains("nope");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void exportArchive_withoutOutput_isAUsageError() {
    assertThat(Lc.run("export", "archive", "-C", "" + ran).exitCode()).isEqualTo(2);
  }
}
