package io.lightcone.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefTest {
  @Test
  void parse_readsUpAndSegments_andPrintsBack() {
    Ref r = Ref.parse("../../sib.out").orElseThrow();
    assertThat(r.up()).isEqualTo(2);
    assertThat(r.segments()).containsExactly("sib", "out");
    assertThat(r.scopes()).containsExactly("sib");
    assertThat(r.target()).isEqualTo("out");
    assertThat(r).hasToString("../../sib.out");
  }

  @Test
  void parse_rejectsWhatTheGrammarDoesNot() {
    for (String bad : List.of("", "..", "../", "a..b", "A.b", "a/b", "./a", "a.", ".a", "a.b/..")) {
      assertThat(Ref.parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void optionRefAndCondition_parseTheLastSegmentAsOption() {
    Condition c = Condition.parse("~sub.method.neural_net").orElseThrow();
    assertThat(c.negated()).isTrue();
    assertThat(c.option().decision()).hasToString("sub.method");
    assertThat(c.option().option()).isEqualTo(OptionId.of("neural_net"));
    assertThat(OptionRef.parse("method")).isEmpty();
    assertThat(OptionRef.parse("method.options")).isEmpty();
    assertThat(c).hasToString("~sub.method.neural_net");
  }

  @Test
  void ids_rejectReservedWordsAndBadForms() {
    assertThatThrownBy(() -> DecisionId.of("options")).hasMessageContaining("reserved");
    assertThatThrownBy(() -> OutputId.of("Fit")).isInstanceOf(IllegalArgumentException.class);
    assertThat(UniverseId.of("robust-2").value()).isEqualTo("robust-2");
    assertThat(QualifiedOutputId.parse("a.b.out").analysis()).hasToString("a.b");
    assertThat(QualifiedOutputId.parse("out").analysis().isRoot()).isTrue();
  }
}
