package io.lightcone.core.internal.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.FieldSummary;
import io.lightcone.ResultRow;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.UniverseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummariesTest {
  private static final QualifiedDecisionId A = QualifiedDecisionId.parse("a");
  private static final QualifiedDecisionId B = QualifiedDecisionId.parse("sub.b");

  private static ResultRow row(String id, String a, String b, Double v) {
    ResultRow.Builder r =
        ResultRow.builder()
            .universe(UniverseId.of(id))
            .state(ResultRow.State.OK)
            .putChoice(A, OptionId.of(a))
            .putChoice(B, OptionId.of(b));
    if (v != null) {
      r.putValue("f", v);
    }
    return r.build();
  }

  private static List<OptionId> options(QualifiedDecisionId d) {
    return d.equals(A)
        ? List.of(OptionId.of("x"), OptionId.of("y"), OptionId.of("z"))
        : List.of(OptionId.of("p"), OptionId.of("q"));
  }

  @Test
  void median_oddAndEvenCounts() {
    assertThat(Summaries.median(List.of(5.0))).isEqualTo(5.0);
    assertThat(Summaries.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Summaries.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Summaries.median(List.of(-1.0, 10.0))).isEqualTo(4.5);
  }

  @Test
  void summary_handComputed_spreadsLargestFirst_inDeclaredOptionOrder() {
    List<ResultRow> rows =
        List.of(
            row("u1", "y", "p", 10.0),
            row("u2", "x", "p", 1.0),
            row("u3", "x", "q", 3.0),
            row("u4", "y", "q", 20.0),
            row("u5", "z", "q", 2.0),
            row("u6", "z", "p", null)); // no value: counted nowhere

    FieldSummary s = Summaries.of("f", rows, List.of(A, B), SummariesTest::options).orElseThrow();

    // values 1, 2, 3, 10, 20
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.median()).isEqualTo(3.0);
    assertThat(s.max()).isEqualTo(20.0);
    // a: x -> median(1, 3) = 2, y -> median(10, 20) = 15, z -> median(2) = 2; spread 13
    // sub.b: p -> median(10, 1) = 5.5, q -> median(3, 20, 2) = 3; spread 2.5
    assertThat(s.spreads()).hasSize(2);
    assertThat(s.spreads().get(0).decision()).isEqualTo(A);
    assertThat(s.spreads().get(0).medians())
        .containsExactly(
            Map.entry(OptionId.of("x"), 2.0),
            Map.entry(OptionId.of("y"), 15.0),
            Map.entry(OptionId.of("z"), 2.0));
    assertThat(s.spreads().get(0).counts())
        .containsExactly(
            Map.entry(OptionId.of("x"), 2),
            Map.entry(OptionId.of("y"), 2),
            Map.entry(OptionId.of("z"), 1));
    assertThat(s.spreads().get(0).spread()).isEqualTo(13.0);
    assertThat(s.spreads().get(1).decision()).isEqualTo(B);
    assertThat(s.spreads().get(1).spread()).isEqualTo(2.5);
  }

  @Test
  void summary_decisionWithOneOptionAmongTheRows_hasNoSpread() {
    List<ResultRow> rows = List.of(row("u1", "x", "p", 1.0), row("u2", "x", "q", 5.0));

    FieldSummary s = Summaries.of("f", rows, List.of(A, B), SummariesTest::options).orElseThrow();

    assertThat(s.spreads()).extracting(d -> d.decision()).containsExactly(B);
    assertThat(s.spreads().get(0).spread()).isEqualTo(4.0);
  }

  @Test
  void summary_noValues_isEmpty() {
    assertThat(
            Summaries.of(
                "f", List.of(row("u1", "x", "p", null)), List.of(A), SummariesTest::options))
        .isEmpty();
  }
}
