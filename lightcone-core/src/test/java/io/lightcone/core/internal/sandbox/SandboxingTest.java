package io.lightcone.core.internal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.core.SandboxMode;
import io.lightcone.core.internal.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the machine allows: no bwrap, a bwrap refused its namespaces, a working one. */
class SandboxingTest {
  @TempDir Path dir;

  private static Environment path(Path... dirs) {
    StringBuilder p = new StringBuilder();
    for (Path d : dirs) {
      p.append(p.length() == 0 ? "" : ":").append(d);
    }
    return new Environment(Map.of("PATH", p.toString()), Clock.systemUTC(), "", "");
  }

  private static Sandboxing resolve(SandboxMode mode, boolean fallback, Environment env) {
    return Sandboxing.resolve(mode, true, fallback, CodePaths.RECORDED, env);
  }

  @Test
  void withoutBwrap_recipesRunUnsandboxed_andOneLineSaysSo() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("bin"));
    Sandboxing s = resolve(SandboxMode.ON, false, path(empty));
    assertThat(s.mode()).isEqualTo(SandboxMode.OFF);
    assertThat(s.requested()).isEqualTo(SandboxMode.ON);
    assertThat(s.notice())
        .contains("recipes run unsandboxed: bwrap not found (apt-get install bubblewrap)");
  }

  /** A bwrap that answers as Debian's does where unprivileged user namespaces are off. */
  private Path refusingBwrap() throws IOException {
    Path bin = Files.createDirectory(dir.resolve("refusing"));
    Path bwrap = bin.resolve("bwrap");
    Files.writeString(
        bwrap,
        "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the"
            + " kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n");
    Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void aRefusedBwrap_isAnEnvironmentError_unlessFallbackIsAllowed() throws IOException {
    Environment env = path(refusingBwrap());
    assertThatThrownBy(() -> resolve(SandboxMode.STRICT, false, env))
        .isInstanceOfSatisfying(
            LightconeException.class,
            e -> assertThat(e.kind()).isEqualTo(LightconeException.Kind.ENVIRONMENT))
        .hasMessageStartingWith(
            "bwrap cannot make a sandbox here (bwrap: No permissions to creating new namespace")
        .hasMessageContaining("--sandbox off")
        .hasMessageContaining("sandbox_fallback: true");
    Sandboxing fallen = resolve(SandboxMode.STRICT, true, env);
    assertThat(fallen.mode()).isEqualTo(SandboxMode.OFF);
    assertThat(fallen.notice().orElseThrow())
        .startsWith("recipes run unsandboxed: bwrap cannot make a sandbox here (bwrap: No perm");
    assertThat(fallen.plumbingOptions())
        .containsExactly("--sandbox", "strict", "--sandbox-fallback");
  }

  @Test
  void theMachinesBwrap_works_andOffNeverProbes() throws IOException {
    Environment env = path(Path.of("/usr/bin"), Path.of("/bin"));
    Sandboxing on = resolve(SandboxMode.ON, false, env);
    assertThat(on.mode()).isEqualTo(SandboxMode.ON);
    assertThat(on.notice()).isEmpty();
    Sandboxing off = resolve(SandboxMode.OFF, false, path(refusingBwrap()));
    assertThat(off.mode()).isEqualTo(SandboxMode.OFF);
    assertThat(off.notice()).isEmpty();
  }
}
