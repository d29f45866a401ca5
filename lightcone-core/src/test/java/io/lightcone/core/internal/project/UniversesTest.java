package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Problem;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UniversesTest {
  @TempDir Path dir;

  private static final String ASTRA =
      """
      id: demo
      decisions:
        scaling:
          label: Scaling
          default: standard
          options:
            none: {label: None}
            standard: {label: Standard}
            minmax:
              label: MinMax
              incompatible_with: [model.svm]
        model:
          label: Model
          options:
            svm:
              label: SVM
              requires: [scaling.standard]
            forest: {label: Forest}
            bad:
              label: Bad
              excluded: true
              excluded_reason: diverges on small samples
        depth:
          label: Depth
          when: [model.forest]
          options:
            shallow: {label: Shallow}
            deep: {label: Deep}
      outputs:
        - id: fit
          type: metric
          decisions: [scaling, model]
          recipe: {command: "true"}
      analyses:
        sub:
          decisions:
            m:
              from: ../model
            seed:
              label: Seed
              default: s1
              options:
                s1: {label: "1"}
                s2: {label: "2"}
      """;

  private LoadedProject load(String... universes) {
    String[] files = new String[universes.length + 2];
    files[0] = "astra.yaml";
    files[1] = ASTRA;
    System.arraycopy(universes, 0, files, 2, universes.length);
    return ProjectLoader.load(Fixtures.project(dir, files));
  }

  @Test
  void validUniverse_fillsDefaultsAndResolvesSubAnalyses() {
    LoadedProject p =
        load(
            "universes/a.yaml",
            "decisions:\n  model: forest\n  depth: deep\nanalyses:\n  sub:\n    decisions:\n"
                + "      seed: s2\n");
    assertThat(p.report().errors()).isEmpty();
    ResolvedUniverse u = p.universes().get(0);
    assertThat(u.id().value()).isEqualTo("a");
    assertThat(u.choices())
        .containsEntry(QualifiedDecisionId.parse("scaling"), opt("standard"))
        .containsEntry(QualifiedDecisionId.parse("model"), opt("forest"))
        .containsEntry(QualifiedDecisionId.parse("depth"), opt("deep"))
        .containsEntry(QualifiedDecisionId.parse("sub.seed"), opt("s2"))
        .hasSize(4);
    assertThat(u.defaulted()).containsExactly(QualifiedDecisionId.parse("scaling"));
  }

  private static io.lightcone.model.OptionId opt(String s) {
    return io.lightcone.model.OptionId.of(s);
  }

  @Test
  void requiresViolated_namesBothSides() {
    List<Problem> e =
        load("universes/robust.yaml", "decisions:\n  scaling: none\n  model: svm\n")
            .report()
            .errors();
    assertThat(e)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo("universes/robust.yaml");
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.message())
                  .contains("'svm' for 'model'")
                  .contains("requires 'scaling.standard'")
                  .contains("'scaling' is 'none' (line 2)");
            });
  }

  @Test
  void incompatibleOptions_areRejected_evenWhenOneIsADefault() {
    List<Problem> e =
        load("universes/u.yaml", "decisions:\n  scaling: minmax\n  model: svm\n").report().errors();
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("is incompatible with 'model.svm'"));
  }

  @Test
  void unknownAndExcludedOptions_listTheChoices() {
    List<Problem> e =
        load("universes/u.yaml", "decisions:\n  model: forst\n  scalng: none\n").report().errors();
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("has no option 'forst'")
                    .contains("did you mean 'forest'")
                    .contains("(options: svm, forest)"))
        .anySatisfy(m -> assertThat(m).contains("'scalng'").contains("did you mean 'scaling'"));
    List<Problem> excluded =
        load("universes/u.yaml", "decisions:\n  model: bad\n").report().errors();
    assertThat(excluded)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("excluded (diverges on small samples)"));
  }

  @Test
  void decisionWithoutDefault_mustBeChosen() {
    List<Problem> e = load("universes/u.yaml", "description: nothing chosen\n").report().errors();
    assertThat(e)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("chooses no option for decision 'model'")
                    .contains("options: svm, forest"));
  }

  @Test
  void inactiveDecision_needsNoChoice_andASelectionOfItIsIgnoredWithAWarning() {
    LoadedProject p = load("universes/u.yaml", "decisions:\n  model: svm\n  depth: deep\n");
    assertThat(p.report().errors()).isEmpty();
    assertThat(p.universes().get(0).choices())
        .doesNotContainKey(QualifiedDecisionId.parse("depth"));
    assertThat(p.report().warnings())
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("'depth'").contains("not active"));
  }

  @Test
  void aliasSelection_mustAgreeWithItsOwner() {
    List<Problem> e =
        load(
                "universes/u.yaml",
                "decisions:\n  model: forest\n  depth: deep\nanalyses:\n  sub:\n    decisions:\n"
                    + "      m: svm\n")
            .report()
            .errors();
    assertThat(e)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("alias of 'model'")
                    .contains("already sets to 'forest'"));
  }

  @Test
  void universeIds_comeFromIdOrStem_andMustBeUnique() {
    List<Problem> e =
        load(
                "universes/one.yaml", "id: same\ndecisions: {model: forest, depth: deep}\n",
                "universes/two.yaml", "id: same\ndecisions: {model: forest, depth: deep}\n",
                "universes/Bad Name.yaml", "decisions: {model: forest, depth: deep}\n")
            .report()
            .errors();
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("'same' is used by both universes/one.yaml and universes/two.yaml"))
        .anySatisfy(m -> assertThat(m).contains("'Bad Name'").contains("not a valid universe id"));
  }

  @Test
  void unusedOption_isAWarningNotAnError() {
    LoadedProject p = load("universes/u.yaml", "decisions: {model: forest, depth: deep}\n");
    assertThat(p.report().isValid()).isTrue();
    assertThat(p.report().warnings())
        .extracting(Problem::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("option 'svm' of decision 'model' is selected by no universe"))
        .noneSatisfy(m -> assertThat(m).contains("'bad'"));
  }

  @Test
  void subAnalysisUniverse_isReadFromItsOwnDirectory() {
    LoadedProject p =
        ProjectLoader.load(
            Fixtures.project(
                dir,
                "astra.yaml",
                "id: demo\nanalyses:\n  cal:\n    path: calibration\n",
                "calibration/astra.yaml",
                "id: cal\ndecisions:\n  k:\n    label: K\n    options:\n      a: {label: A}\n"
                    + "      b: {label: B}\n",
                "calibration/universes/fast.yaml",
                "decisions:\n  k: b\n",
                "universes/main.yaml",
                "analyses:\n  cal:\n    universe: fast\n",
                "universes/typo.yaml",
                "analyses:\n  cal:\n    universe: fsat\n"));
    assertThat(p.report().errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("universes/typo.yaml");
              assertThat(e.message())
                  .contains("no universe 'fsat'")
                  .contains("did you mean 'fast'");
            });
    assertThat(p.universes())
        .singleElement()
        .satisfies(
            u ->
                assertThat(u.choices())
                    .containsEntry(QualifiedDecisionId.parse("cal.k"), opt("b")));
  }
}
