package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SemanticValidatorTest {
  @TempDir Path dir;

  private List<Problem> errors(String astra, String... more) {
    String[] files = new String[more.length + 2];
    files[0] = "astra.yaml";
    files[1] = astra;
    System.arraycopy(more, 0, files, 2, more.length);
    return ProjectLoader.load(Fixtures.project(dir, files)).report().errors();
  }

  private static final String HEAD =
      """
      id: demo
      inputs:
        - id: catalog
          type: data
          source: data/catalog.csv
      decisions:
        method:
          label: Fit method
          default: ols
          options:
            ols: {label: OLS}
            robust: {label: Robust}
      """;

  @Test
  void validProject_hasNoErrors() {
    assertThat(
            errors(
                HEAD
                    + """
                    outputs:
                      - id: fit
                        type: metric
                        inputs: [catalog]
                        decisions: [method]
                        recipe:
                          command: python3 fit.py {inputs.catalog} {decisions.method} {output} {{x}}
                    """))
        .isEmpty();
  }

  @Test
  void unknownInput_isReportedAtTheItemWithHint() {
    List<Problem> e =
        errors(
            HEAD
                + """
                outputs:
                  - id: fit
                    type: metric
                    inputs: [catalgo]
                    recipe: {command: "true"}
                """);
    assertThat(e)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(16);
              assertThat(p.key()).isEqualTo("outputs[0].inputs[0]");
              assertThat(p.message()).contains("catalgo").contains("did you mean 'catalog'");
            });
  }

  @Test
  void undeclaredPlaceholders_areErrors() {
    List<Problem> e =
        errors(
            HEAD
                + """
                outputs:
                  - id: fit
                    type: metric
                    inputs: [catalog]
                    recipe:
                      command: run {inputs.other} {decisions.method} {outptu} ${HOME} {
                """);
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("{inputs.other}").contains("not among its inputs"))
        .anySatisfy(
            m -> assertThat(m).contains("{decisions.method}").contains("not among its decisions"))
        .anySatisfy(m -> assertThat(m).contains("{outptu}").contains("did you mean 'output'"))
        .anySatisfy(m -> assertThat(m).contains("{HOME}").contains("${{HOME}}"))
        .anySatisfy(m -> assertThat(m).contains("never closed"));
    assertThat(e).allSatisfy(p -> assertThat(p.key()).isEqualTo("outputs[0].recipe.command"));
  }

  @Test
  void duplicateIds_acrossInputsAndOutputs_nameTheFirstLine() {
    List<Problem> e =
        errors(
            HEAD
                + """
                outputs:
                  - id: catalog
                    type: data
                    recipe: {command: "true"}
                """);
    assertThat(e)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).contains("'catalog' is declared twice").contains("line 3");
              assertThat(p.line()).isEqualTo(14);
            });
  }

  @Test
  void outputCycle_isReportedWithThePath() {
    List<Problem> e =
        errors(
            HEAD
                + """
                outputs:
                  - id: a
                    type: data
                    inputs: [b]
                    recipe: {command: "true"}
                  - id: b
                    type: data
                    inputs: [sub.c]
                    recipe: {command: "true"}
                analyses:
                  sub:
                    inputs:
                      - id: a_in
                        from: ../a
                    outputs:
                      - id: c
                        type: data
                        inputs: [a_in]
                        recipe: {command: "true"}
                """);
    // '../a' names an output of the parent, which a sub-analysis may not use: no cycle then.
    assertThat(e)
        .singleElement()
        .satisfies(
            p -> assertThat(p.message()).contains("cannot use an output of an enclosing analysis"));
  }

  @Test
  void outputCycle_throughSiblingsAndReExports_isFound() {
    List<Problem> e =
        errors(
            HEAD
                + """
                outputs:
                  - id: top
                    from: one.x
                analyses:
                  one:
                    inputs:
                      - id: from_two
                        from: ../two.y
                    outputs:
                      - id: x
                        type: data
                        inputs: [from_two]
                        recipe: {command: "true"}
                  two:
                    inputs:
                      - id: from_one
                        from: ../one.x
                    outputs:
                      - id: y
                        type: data
                        inputs: [from_one]
                        recipe: {command: "true"}
                """);
    assertThat(e)
        .singleElement()
        .satisfies(
            p -> assertThat(p.message()).contains("cycle").contains("one.x → two.y → one.x"));
  }

  @Test
  void fromReferences_resolveOrSayWhy() {
    List<Problem> e =
        errors(
            HEAD
                + """
                outputs:
                  - id: top
                    from: sub.nothing
                analyses:
                  sub:
                    inputs:
                      - id: up_too_far
                        from: ../../catalog
                      - id: sibling
                        from: ../ghost.x
                    decisions:
                      m:
                        from: ../methd
                    outputs:
                      - id: z
                        type: data
                        recipe: {command: "true"}
                """);
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("sub.nothing").contains("has no output 'nothing'"))
        .anySatisfy(m -> assertThat(m).contains("above the root"))
        .anySatisfy(m -> assertThat(m).contains("no sub-analysis 'ghost'"))
        .anySatisfy(
            m -> assertThat(m).contains("no decision 'methd'").contains("did you mean 'method'"));
  }

  @Test
  void constraintAndWhenReferences_mustNameRealOptions() {
    List<Problem> e =
        errors(
            """
            id: demo
            decisions:
              a:
                label: A
                options:
                  x: {label: X, requires: [b.nope]}
                  y: {label: Y, incompatible_with: [zz.q], requires: [a.x]}
              b:
                label: B
                when: [a.y]
                options:
                  p: {label: P, insights: [missing_insight]}
            outputs:
              - id: o
                type: metric
                when: ["~b.pp"]
                recipe: {command: "true"}
            """);
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("'b.nope'").contains("has no option 'nope'"))
        .anySatisfy(m -> assertThat(m).contains("'zz.q'").contains("no decision 'zz'"))
        .anySatisfy(m -> assertThat(m).contains("requires 'a.x'").contains("never be selected"))
        .anySatisfy(
            m -> assertThat(m).contains("'~b.pp'".replace("~", "")).contains("did you mean 'p'"))
        .anySatisfy(m -> assertThat(m).contains("missing_insight"));
  }

  @Test
  void pathSubAnalysis_outsideProjectOrCyclic_isRejected(@TempDir Path outside) {
    Fixtures.project(outside, "astra.yaml", "id: elsewhere\n");
    List<Problem> e =
        errors(
            """
            id: demo
            analyses:
              escape:
                path: ../%s
              loop:
                path: sub
            """
                .formatted(outside.getFileName()),
            "sub/astra.yaml",
            "id: loop\nanalyses:\n  back:\n    path: ..\n");
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("leads outside the project"))
        .anySatisfy(m -> assertThat(m).contains("cycle"));
    assertThat(e)
        .filteredOn(p -> p.message().contains("cycle"))
        .singleElement()
        .satisfies(p -> assertThat(p.file()).isEqualTo("sub/astra.yaml"));
  }

  @Test
  void pathSubAnalysis_isLoadedFromItsDirectory() {
    LoadedProject p =
        ProjectLoader.load(
            Fixtures.project(
                dir,
                "astra.yaml",
                """
                id: demo
                outputs:
                  - id: zp
                    from: cal.zero_point
                analyses:
                  cal:
                    path: calibration
                """,
                "calibration/astra.yaml",
                """
                id: cal
                outputs:
                  - id: zero_point
                    type: metric
                    format: txt
                    recipe: {command: "echo 1 > {output}/zp.txt"}
                """));
    assertThat(p.report().problems()).isEmpty();
    assertThat(p.analysis().analyses().values())
        .singleElement()
        .satisfies(a -> assertThat(a.path()).contains("calibration"));
  }

  @Test
  void pathNextToContent_isRejected() {
    List<Problem> e =
        errors(
            """
            id: demo
            analyses:
              cal:
                path: calibration
                outputs: []
            """,
            "calibration/astra.yaml",
            "id: cal\n");
    assertThat(e)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("analyses.cal.outputs");
              assertThat(p.message()).contains("cannot stand next to 'path:'");
            });
  }

  /**
   * The schema lets an input's {@code from:} reach up, or up and into a sibling; {@code ../out}
   * naming an enclosing analysis's output is refused, and a detour through the tree must not get
   * round that, nor reach into the input's own analysis.
   */
  @Test
  void inputFrom_detourToEnclosingOrOwnOutput_isRejected() {
    List<Problem> e =
        errors(
            """
            id: demo
            analyses:
              mid:
                inputs:
                  - id: own_child
                    from: ../mid.child.got
                  - id: own
                    from: ../mid.made
                outputs:
                  - id: made
                    type: data
                    recipe: {command: "true"}
                analyses:
                  child:
                    inputs:
                      - id: enclosing
                        from: ../../mid.made
                    outputs:
                      - id: got
                        type: data
                        recipe: {command: "true"}
            """);
    assertThat(e)
        .extracting(Problem::key)
        .containsExactlyInAnyOrder(
            "analyses.mid.inputs[0].from",
            "analyses.mid.inputs[1].from",
            "analyses.mid.analyses.child.inputs[0].from");
    assertThat(e)
        .extracting(Problem::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("'../mid.child.got' reaches down into sub-analysis 'mid.child'")
                    .contains("list 'child.got' in an output's inputs"))
        .anySatisfy(m -> assertThat(m).contains("'../mid.made'").contains("its own analysis"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("'../../mid.made'")
                    .contains("cannot use an output of an enclosing analysis"));
  }
}
