package io.lightcone;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.UniverseId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultsRenderingTest {
  private static final QualifiedDecisionId FIT = QualifiedDecisionId.parse("fit");

  private static final ResultRow OK =
      ResultRow.builder()
          .universe(UniverseId.of("a"))
          .putChoice(FIT, OptionId.of("ols"))
          .putValue("m.v", 18.5)
          .interval(new ResultRow.Interval(18, 19))
          .state(ResultRow.State.OK)
          .build();

  private static final ResultRow STALE =
      ResultRow.builder()
          .universe(UniverseId.of("b"))
          .putChoice(FIT, OptionId.of("huber"))
          .state(ResultRow.State.STALE)
          .addReason("m: code changed: recipe, \"quoted\"")
          .build();

  private static Results results(boolean includeStale) {
    return new Results(
        List.of("m.v"),
        List.of(FIT),
        List.of(OK, STALE),
        List.of(),
        includeStale,
        Optional.of(List.of("lo", "hi")));
  }

  @Test
  void number_shortestPlainForm() {
    assertThat(Results.number(18.4294)).isEqualTo("18.4294");
    assertThat(Results.number(42.0)).isEqualTo("42");
    assertThat(Results.number(-3.0932)).isEqualTo("-3.0932");
    assertThat(Results.number(1e-7)).isEqualTo("1.0E-7");
    assertThat(Results.rounded(18.519699999999997)).isEqualTo("18.5197");
    assertThat(Results.rounded(0.30400000000000205)).isEqualTo("0.304");
  }

  @Test
  void toString_leftOutRowListedWithItsReason_noValue() {
    assertThat(results(false).toString())
        .startsWith("UNIVERSE  fit  m.v   INTERVAL\na         ols  18.5  [18, 19]\n")
        .contains("  b  stale: m: code changed: recipe, \"quoted\"\n")
        .contains("2 universe(s): 1 ok, 1 stale");
    assertThat(results(false).table()).containsExactly(OK);
    assertThat(results(false).leftOut()).containsExactly(STALE);
  }

  @Test
  void toCsv_everyRow_quotedPerRfc4180() {
    assertThat(results(false).toCsv())
        .isEqualTo(
            "universe,fit,m.v,m.v.low,m.v.high,state,reasons\n"
                + "a,ols,18.5,18,19,ok,\n"
                + "b,huber,,,,stale,\"m: code changed: recipe, \"\"quoted\"\"\"\n");
  }

  @Test
  void toHtml_escaped_andMarkedWithIncludeStale() {
    String html = results(true).toHtml();
    assertThat(html)
        .startsWith("<div class=\"lightcone\">")
        .contains("<th>STATE</th>")
        .contains(
            "<td>b</td><td>huber</td><td></td><td></td><td>stale: m: code changed: recipe,"
                + " &quot;quoted&quot;</td>")
        .contains("(summaries count the ok ones only)");
  }
}
