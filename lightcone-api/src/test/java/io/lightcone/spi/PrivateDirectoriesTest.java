package io.lightcone.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoriesTest {
  @TempDir Path dir;

  @Test
  void ensure_missing_createsItMode0700() {
    Path made = PrivateDirectories.ensure(dir.resolve("a/b/private"));

    assertThat(mode(made)).isEqualTo("rwx------");
  }

  @Test
  void ensure_existingThatOthersCanWrite_isRefusedNamingItAndWhatToDo() throws IOException {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));

    assertThatThrownBy(() -> PrivateDirectories.ensure(open))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining(open.toString())
        .hasMessageContaining("rwxrwxr-x")
        .hasMessageContaining("chmod go-w " + open)
        .extracting(e -> ((LightconeException) e).kind())
        .isEqualTo(LightconeException.Kind.ENVIRONMENT);
    assertThat(mode(open)).isEqualTo("rwxrwxr-x");
  }

  @Test
  void ensure_existingThatOthersCanOnlyRead_isNarrowedTo0700() throws IOException {
    Path readable = Files.createDirectory(dir.resolve("readable"));
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));

    PrivateDirectories.ensure(readable);

    assertThat(mode(readable)).isEqualTo("rwx------");
  }

  @Test
  void check_exact_refusesAnyModeButOwnerOnly() throws IOException {
    Path readable = Files.createDirectory(dir.resolve("readable"));
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-x---"));

    assertThatThrownBy(() -> PrivateDirectories.check(readable, true))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("has mode rwxr-x---, not rwx------")
        .hasMessageContaining("chmod 700 " + readable);
  }

  @Test
  void ensure_existingOfAnotherOwner_isRefused() throws IOException {
    Path theirs;
    if (Files.getOwner(Path.of("/proc/self")).getName().equals("root")) {
      theirs = Files.createDirectory(dir.resolve("theirs"));
      Files.setPosixFilePermissions(theirs, PrivateDirectories.OWNER_ONLY);
      Files.setOwner(
          theirs,
          theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    } else {
      theirs = Path.of("/var"); // root's
    }

    assertThatThrownBy(() -> PrivateDirectories.ensure(theirs))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining(theirs + " belongs to ");
  }

  @Test
  void ensure_aLinkToAPrivateDirectory_isRefused() throws IOException {
    Path real = PrivateDirectories.ensure(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);

    assertThatThrownBy(() -> PrivateDirectories.ensure(link))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void createTemp_givesFreshPrivateDirectoriesWithUnpredictableNames() {
    Path root = PrivateDirectories.ensure(dir.resolve("root"));

    Path a = PrivateDirectories.createTemp(root, "run-");
    Path b = PrivateDirectories.createTemp(root, "run-");

    assertThat(a).isNotEqualTo(b);
    assertThat(a.getFileName().toString())
        .startsWith("run-")
        .hasSizeGreaterThan("run-".length() + 8);
    assertThat(mode(a)).isEqualTo("rwx------");
  }

  @Test
  void write_createsTheFileOwnerOnlyAndNeverOverwrites() throws IOException {
    Path root = PrivateDirectories.ensure(dir.resolve("root"));

    Path script = PrivateDirectories.write(root.resolve("s.py"), new byte[] {1}, false);
    Path exe = PrivateDirectories.write(root.resolve("s.sh"), new byte[] {1}, true);

    assertThat(mode(script)).isEqualTo("rw-------");
    assertThat(mode(exe)).isEqualTo("rwx------");
    assertThatThrownBy(() -> PrivateDirectories.write(script, new byte[] {2}, false))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  private static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
