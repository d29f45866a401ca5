package io.lightcone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.model.AnalysisPath;
import io.lightcone.model.DecisionId;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniversesTest {
  private static final QualifiedDecisionId FIT =
      new QualifiedDecisionId(AnalysisPath.ROOT, DecisionId.of("fit"));

  private static ResolvedUniverse universe(String id, String fit, boolean defaulted) {
    ResolvedUniverse.Builder b =
        ResolvedUniverse.builder().id(UniverseId.of(id)).putChoice(FIT, OptionId.of(fit));
    if (defaulted) {
      b.addDefaulted(FIT);
    }
    return b.build();
  }

  private final Universes table =
      Universes.of(List.of(universe("a", "ols", true), universe("b", "huber", false)))
          .with("mu", Map.of(UniverseId.of("a"), 18.5))
          .with("note", Map.of(UniverseId.of("b"), "<i>&"));

  @Test
  void toString_onePlainRowPerUniverse_joinedColumnBlankWhereMissing() {
    assertThat(table.toString())
        .isEqualTo(
            "UNIVERSE  fit            mu    note\n"
                + "a         ols (default)  18.5\n"
                + "b         huber                <i>&\n"
                + "2 universe(s), 1 decision(s)");
  }

  @Test
  void toHtml_escapesEveryCell() {
    assertThat(table.toHtml())
        .contains("<td>b</td><td>huber</td><td></td><td>&lt;i&gt;&amp;</td>")
        .doesNotContain("<i>");
  }

  @Test
  void rows_giveChoicesAndJoinedValuesByColumnName() {
    assertThat(table.rows())
        .containsExactly(
            Map.of("universe", "a", "fit", "ols", "mu", 18.5),
            Map.of("universe", "b", "fit", "huber", "note", "<i>&"));
  }

  @Test
  void with_sameColumnTwice_isRefused() {
    assertThatThrownBy(() -> table.with("mu", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the table already has a column 'mu'");
  }
}
