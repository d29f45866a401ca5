package io.lightcone.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompressionTest {

  @Test
  void roundTrip_throughTheStreams_andOneFrame() throws IOException {
    byte[] text = "the same line\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (OutputStream out = Compression.compressing(packed, 3)) {
      out.write(text);
    }
    assertThat(packed.size()).isLessThan(text.length / 10);
    try (InputStream in =
        Compression.decompressing(new ByteArrayInputStream(packed.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(text);
    }
    byte[] frame = Compression.compress(text, 1);
    try (InputStream in = Compression.decompressing(new ByteArrayInputStream(frame))) {
      assertThat(in.readAllBytes()).isEqualTo(text);
    }
  }

  /**
   * The native library this JVM mapped comes from a directory only we can enter, whichever test
   * loaded it first: every use of zstd-jni goes through Compression (an ArchUnit rule in
   * CoreArchitectureTest), never zstd-jni's own copy into the shared {@code java.io.tmpdir}.
   */
  @Test
  void nativeLibrary_isLoadedFromAPrivateDirectory_notFromTheSharedTmp() throws IOException {
    Compression.compress(new byte[] {1, 2, 3}, 1);

    List<String> mapped =
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(l -> l.contains("zstd-jni"))
            .map(l -> l.substring(l.indexOf('/')))
            .distinct()
            .toList();
    assertThat(mapped).hasSize(1);
    Path library = Path.of(mapped.get(0).replace(" (deleted)", ""));
    Path dir = library.getParent();
    assertThat(dir.getFileName().toString()).startsWith("lightcone-zstd-");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rwx------");
    assertThat(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName())
        .isEqualTo(System.getProperty("user.name"));
  }
}
