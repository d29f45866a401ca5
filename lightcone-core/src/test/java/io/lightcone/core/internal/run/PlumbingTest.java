package io.lightcone.core.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlumbingTest {
  @Test
  void classPath_isMadeAbsolute_soThePlumbingCommandWorksFromAnotherDirectory() {
    String cwd = Path.of("").toAbsolutePath().toString();

    String cp =
        Plumbing.absolute("lightcone-cli/target/lc-all.jar" + File.pathSeparator + "/opt/x.jar");

    assertThat(cp.split(File.pathSeparator))
        .containsExactly(cwd + "/lightcone-cli/target/lc-all.jar", "/opt/x.jar");
  }
}
