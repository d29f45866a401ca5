package io.lightcone.snakemake.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding snakemake and telling a missing or too old one, with how to install it. */
class InstallationTest {
  @TempDir Path dir;

  /** An executable that prints {@code version} as {@code snakemake --version} does. */
  private Path fake(String name, String version) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, "#!/bin/sh\necho " + version + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    return f;
  }

  @Test
  void missingSnakemake_isAnEnvironmentError_thatSaysHowToInstallIt() {
    Environment noPath = new Environment(Map.of("PATH", dir.toString()));
    assertThatThrownBy(() -> Installation.locate(noPath, Optional.empty()))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("snakemake is not installed")
        .hasMessageContaining("apt-get install snakemake")
        .extracting(e -> ((LightconeException) e).kind())
        .isEqualTo(LightconeException.Kind.ENVIRONMENT);
    Environment badVariable =
        new Environment(Map.of("LIGHTCONE_SNAKEMAKE", dir.resolve("nope").toString()));
    assertThatThrownBy(() -> Installation.locate(badVariable, Optional.empty()))
        .hasMessageContaining(dir.resolve("nope") + " is not an executable file")
        .hasMessageContaining("apt-get install snakemake");
  }

  @Test
  void tooOldSnakemake_isAnEnvironmentError_namingTheVersion() throws IOException {
    Path old = fake("snakemake", "6.15.5");
    assertThatThrownBy(() -> Installation.locate(new Environment(Map.of()), Optional.of(old)))
        .hasMessageContaining("snakemake 6.15.5 at " + old + " is too old")
        .hasMessageContaining("needs 7.0 or newer")
        .hasMessageContaining("apt-get install snakemake");
  }

  @Test
  void snakemake_isTheConfiguredOne_elseLightconeSnakemake_elseTheFirstOnPath() throws IOException {
    Path onPath = fake("snakemake", "7.21.0");
    Path named = fake("my-snakemake", "7.32.4");
    Path configured = fake("other", "8.1.0");
    Environment env =
        new Environment(
            Map.of("PATH", "/nonexistent:" + dir, "LIGHTCONE_SNAKEMAKE", named.toString()));
    assertThat(Installation.locate(env, Optional.of(configured)))
        .isEqualTo(new Installation(configured, "8.1.0"));
    assertThat(Installation.locate(env, Optional.empty()))
        .isEqualTo(new Installation(named, "7.32.4"));
    assertThat(
            Installation.locate(new Environment(Map.of("PATH", dir.toString())), Optional.empty()))
        .isEqualTo(new Installation(onPath, "7.21.0"));
  }

  @Test
  void version_isRemembered_untilTheExecutableChanges() throws IOException {
    Path snakemake = fake("snakemake", "7.21.0");
    Path memo = dir.resolve("memo/version");
    Environment env = new Environment(Map.of());
    assertThat(Installation.locate(env, Optional.of(snakemake), Optional.of(memo)).version())
        .isEqualTo("7.21.0");
    assertThat(memo).content().endsWith("\n7.21.0\n");
    // Unchanged: not asked again (a broken --version would show).
    Files.writeString(memo, Files.readString(memo).replace("7.21.0", "7.21.1"));
    assertThat(Installation.locate(env, Optional.of(snakemake), Optional.of(memo)).version())
        .isEqualTo("7.21.1");
    // Changed (another size): asked again.
    Files.writeString(snakemake, "#!/bin/sh\necho 6.0.0 # older\n");
    assertThatThrownBy(() -> Installation.locate(env, Optional.of(snakemake), Optional.of(memo)))
        .hasMessageContaining("snakemake 6.0.0");
  }
}
