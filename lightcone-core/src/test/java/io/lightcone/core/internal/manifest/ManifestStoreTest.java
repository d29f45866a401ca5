package io.lightcone.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import java.io.IOException;
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
}
