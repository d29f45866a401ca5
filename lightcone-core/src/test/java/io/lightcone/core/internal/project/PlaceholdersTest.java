package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.core.internal.project.Placeholders.Kind;
import io.lightcone.core.internal.project.Placeholders.Token;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  @Test
  void scan_splitsTextPlaceholdersAndEscapes() {
    assertThat(Placeholders.scan("run {inputs.a} --x {{y}} > {output}/f"))
        .containsExactly(
            new Token(Kind.TEXT, "run ", 0),
            new Token(Kind.PLACEHOLDER, "inputs.a", 4),
            new Token(Kind.TEXT, " --x {y} > ", 14),
            new Token(Kind.PLACEHOLDER, "output", 27),
            new Token(Kind.TEXT, "/f", 35));
  }

  @Test
  void scan_reportsUnbalancedBraces() {
    assertThat(Placeholders.scan("a } b { c"))
        .extracting(Token::kind)
        .containsExactly(Kind.TEXT, Kind.STRAY_CLOSE, Kind.TEXT, Kind.UNCLOSED, Kind.TEXT);
    assertThat(Placeholders.scan("{a {b}"))
        .extracting(Token::kind)
        .containsExactly(Kind.UNCLOSED, Kind.TEXT, Kind.PLACEHOLDER);
  }

  @Test
  void suggest_findsCloseWords() {
    assertThat(Suggest.closest("reciep", java.util.List.of("recipe", "inputs"))).contains("recipe");
    assertThat(Suggest.closest("zzz", java.util.List.of("recipe"))).isEmpty();
  }
}
