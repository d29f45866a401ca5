package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Focused cases the manifest properties found; each was a bug before its fix. */
class ManifestStoreTest {
  @Test
  void read_manifestWhoseExistenceCannotBeDetermined_isAnErrorNotMissing(@TempDir Path dir)
      throws IOException {
    // Files.exists says false when stat fails for any reason: a symbolic link loop here, and
    // permission denied on the directory for any user but root, which this test cannot be.
    Files.createSymbolicLink(dir.resolve(ManifestStore.FILE), Path.of(ManifestStore.FILE));
    assertThatThrownBy(() -> ManifestStore.read(dir))
        .isInstanceOfSatisfying(
            LightconeException.class,
            e -> assertThat(e.kind()).isEqualTo(LightconeException.Kind.ENVIRONMENT));
  }

  @Test
  void read_noManifest_isMissing(@TempDir Path dir) {
    assertThat(ManifestStore.read(dir)).isEqualTo(new ManifestStore.Missing());
    assertThat(ManifestStore.read(dir.resolve("no-such-dir")))
        .isEqualTo(new ManifestStore.Missing());
  }

  @Test
  void read_hugeSparseManifest_isInvalidWithoutReadingIt(@TempDir Path dir) throws IOException {
    // A manifest padded to 200 MB took 2 GB of heap for status and 4.5 GB for verify; this one
    // claims 1 GB and holds nothing, so only a read bounded by the size can pass in a test JVM.
    try (RandomAccessFile f =
        new RandomAccessFile(dir.resolve(ManifestStore.FILE).toFile(), "rw")) {
      f.setLength(1L << 30);
    }
    assertThat(ManifestStore.read(dir))
        .isInstanceOfSatisfying(
            ManifestStore.Invalid.class,
            i -> assertThat(i.reason()).contains("1073741824 bytes").contains("16 MiB at most"));
  }

  @Test
  void readAtMost_stopsAtTheLimit(@TempDir Path dir) throws IOException {
    // The size is checked first, but a file can grow between the stat and the read.
    Path file = Files.write(dir.resolve("f"), new byte[10_000]);
    assertThat(ManifestStore.readAtMost(file, 100)).hasSize(100);
    assertThat(ManifestStore.readAtMost(file, 20_000)).hasSize(10_000);
  }

  @Test
  void read_fifo_isInvalidNotABlockedRead(@TempDir Path dir) throws Exception {
    Process mkfifo =
        new ProcessBuilder("mkfifo", dir.resolve(ManifestStore.FILE).toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThat(ManifestStore.read(dir))
        .isEqualTo(new ManifestStore.Invalid("it is not a regular file"));
  }
}
