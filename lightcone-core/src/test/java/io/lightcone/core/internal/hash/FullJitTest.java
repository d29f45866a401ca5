package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child JVM that hashes for a JVM without C2 (a real {@code java} process). */
class FullJitTest {
  @Test
  void childJvm_givesTheVersionsOfThisOne(@TempDir Path dir) throws IOException {
    Path root = VectorTrees.build(dir.resolve("out"), "unicode_names");
    assertThat(FullJit.versions(root, 2)).isEqualTo(DataVersion.versions(root, 1));
  }

  @Test
  void childJvm_failureIsAnIoErrorWithItsMessage(@TempDir Path dir) {
    assertThatThrownBy(() -> FullJit.versions(dir.resolve("absent"), 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void thisJvm_hasC2_soNothingIsHandedToAChild() {
    assertThat(FullJit.HERE).as("surefire runs the tests with the full JIT").isTrue();
  }
}
