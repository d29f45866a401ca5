package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The image tag's name part; the tag's identity is container's {@code ImageIdentityTest}. */
class ImageTagTest {
  @Test
  void slug_lowerCasesAndDashesWhatAnImageNameCannotHold() {
    assertThat(ImageTag.slug("Period Luminosity")).isEqualTo("period-luminosity");
    assertThat(ImageTag.slug("my_analysis")).isEqualTo("my_analysis");
    assertThat(ImageTag.slug("A/B:c")).isEqualTo("a-b-c");
  }
}
