package io.lightcone.core.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {
  @TempDir Path dir;

  @Test
  void records_lengthCountsItself_acrossADigitBoundary() {
    // " k=" + 93 chars + "\n" = 97 bytes, +2 digits = 99; one more char makes 98 + 3 = 101.
    String v93 = "v".repeat(93);
    assertThat(new String(TarWriter.records(Map.of("k", v93)), StandardCharsets.UTF_8))
        .startsWith("99 k=");
    byte[] r = TarWriter.records(Map.of("k", v93 + "v"));
    assertThat(r).hasSize(101);
    assertThat(new String(r, StandardCharsets.UTF_8)).startsWith("101 k=");
  }

  @Test
  void gnuTar_extracts_longAndNonAsciiNames_nanosecondMtimes_andModes() throws Exception {
    String longName = "d/" + "x".repeat(150) + ".csv";
    String accented = "d/données_ø/résumé.txt";
    long mtime = 1_700_000_000_123_456_789L;
    Path tarFile = dir.resolve("t.tar");
    try (OutputStream out = Files.newOutputStream(tarFile);
        TarWriter tar = new TarWriter(out)) {
      tar.directory("d", 0755, 0);
      tar.file(longName, 0644, mtime, 3, new ByteArrayInputStream("abc".getBytes()));
      tar.file(accented, 0755, 0, 2, new ByteArrayInputStream("hi".getBytes()));
    }
    Path into = Files.createDirectories(dir.resolve("x"));
    Process p =
        new ProcessBuilder("tar", "-xf", tarFile.toString(), "-C", into.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();

    assertThat(into.resolve(longName)).hasContent("abc");
    assertThat(Files.getLastModifiedTime(into.resolve(longName)).to(TimeUnit.NANOSECONDS))
        .isEqualTo(mtime);
    assertThat(into.resolve(accented)).hasContent("hi");
    assertThat(Files.isExecutable(into.resolve(accented))).isTrue();
    assertThat(Files.isExecutable(into.resolve(longName))).isFalse();
  }
}
