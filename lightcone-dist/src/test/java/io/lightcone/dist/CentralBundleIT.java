package io.lightcone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle {@code mvn -Prelease verify} made (run only in that profile): unzipped, it is what
 * Central takes, with every library module, the parent and the BOM.
 */
class CentralBundleIT {
  @TempDir Path dir;

  @Test
  void releaseBundle_isComplete() throws Exception {
    Path zip = Path.of(System.getProperty("lc.bundle", ""));
    assertThat(zip).as("system property lc.bundle (set by failsafe in -Prelease)").isRegularFile();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path target = dir.resolve(e.getName()).normalize();
        assertThat(target.startsWith(dir)).as(e.getName()).isTrue();
        if (!e.isDirectory()) {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
    assertThat(Files.list(dir.resolve("io/lightcone")).count()).isGreaterThan(0);
    boolean signed = Boolean.parseBoolean(System.getProperty("lc.bundle.signed", "false"));
    assertThat(
            CentralBundle.problems(
                dir,
                Set.of(
                    "lightcone-parent",
                    "lightcone-bom",
                    "lightcone-api",
                    "lightcone-core",
                    "lightcone-snakemake-bridge",
                    "lightcone-dask-bridge",
                    "lightcone-slurm-bridge",
                    "lightcone-testkit"),
                signed))
        .isEmpty();
  }
}
