package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lc keys init|show} and {@code lc verify --trusted-keys}, through picocli. */
class KeysCommandTest {
  @TempDir static Path shared;
  private static Path ran;

  @TempDir Path dir;

  @BeforeAll
  static void runTheSampleOnce() {
    ran = RanSample.at(shared.resolve("pl"));
  }

  @Test
  void init_writesAPrivateKey_andShowPrintsTheSameLine() throws Exception {
    Path key = dir.resolve("keys/signing-key");

    Lc.Result init = Lc.run("keys", "init", "--key", key.toString());

    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.out().strip()).matches("ed25519 [A-Za-z0-9+/]{43}= .*");
    assertThat(init.err()).contains("wrote " + key).contains("mode 0600");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");

    Lc.Result show = Lc.run("keys", "show", "--key", key.toString());
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).isEqualTo(init.out());

    Lc.Result again = Lc.run("keys", "init", "--key", key.toString());
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err().strip())
        .contains(key.toString())
        .contains("--force")
        .doesNotContain("\tat ");
    assertThat(Lc.run("keys", "show", "--key", key.toString()).out()).isEqualTo(init.out());
  }

  @Test
  void show_keyOthersCanRead_isRefusedNamingTheFixWithoutAStackTrace() throws Exception {
    Path key = dir.resolve("k");
    assertThat(Lc.run("keys", "init", "--key", key.toString()).exitCode()).isZero();
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    Lc.Result show = Lc.run("keys", "show", "--key", key.toString());

    assertThat(show.exitCode()).isEqualTo(3);
    assertThat(show.err().strip()).contains("chmod 600 " + key).doesNotContain("\tat ");
  }

  @Test
  void verify_trustedKeys_unsignedManifests_areUntrusted_exits1() throws Exception {
    Path key = dir.resolve("k");
    Lc.Result init = Lc.run("keys", "init", "--key", key.toString());
    Path trusted = dir.resolve("trusted");
    Files.writeString(trusted, init.out());

    Lc.Result verify = Lc.run("verify", "-C", ran.toString(), "--trusted-keys", trusted.toString());

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("not signed");
  }

  @Test
  void verify_trustedKeysFileWithALineThatIsNoKey_namesFileAndLine_exits3() throws Exception {
    Path trusted = dir.resolve("trusted");
    Files.writeString(trusted, "# keys\nssh-rsa AAAA someone\n");

    Lc.Result verify = Lc.run("verify", "-C", ran.toString(), "--trusted-keys", trusted.toString());

    assertThat(verify.exitCode()).isEqualTo(3);
    assertThat(verify.err().strip()).contains(trusted + ":2").doesNotContain("\tat ");
  }
}
