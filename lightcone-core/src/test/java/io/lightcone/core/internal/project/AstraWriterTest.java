package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YSeq;
import io.lightcone.core.internal.yaml.YamlReader;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisId;
import io.lightcone.model.Condition;
import io.lightcone.model.Decision;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Evidence;
import io.lightcone.model.EvidenceId;
import io.lightcone.model.Input;
import io.lightcone.model.InputId;
import io.lightcone.model.InputType;
import io.lightcone.model.Insight;
import io.lightcone.model.InsightId;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.OptionRef;
import io.lightcone.model.Output;
import io.lightcone.model.OutputId;
import io.lightcone.model.OutputType;
import io.lightcone.model.PageLocation;
import io.lightcone.model.Recipe;
import io.lightcone.model.Ref;
import io.lightcone.model.Resources;
import io.lightcone.model.TextQuote;
import io.lightcone.model.Universe;
import io.lightcone.model.UniverseId;
import io.lightcone.model.UniverseNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AstraWriterTest {

  /** Strings a YAML reader would take for a number, boolean, null, date or syntax if unquoted. */
  static final List<String> AMBIGUOUS =
      List.of(
          "42",
          "-7",
          "+1",
          "1.0",
          ".5",
          "1e5",
          "0x1F",
          "0o17",
          "017",
          "1_000",
          "1:20",
          ".inf",
          "-.inf",
          ".nan",
          "yes",
          "no",
          "Yes",
          "NO",
          "y",
          "n",
          "on",
          "off",
          "true",
          "False",
          "null",
          "Null",
          "~",
          "2025-01-01",
          "2025-06-15T10:30:00Z",
          "16Gi",
          "=",
          "<<",
          "- item",
          "-",
          "? key",
          ": value",
          "a: b",
          "a #b",
          "#x",
          "[x]",
          "{x}",
          "&anchor",
          "*alias",
          "!tag",
          "%dir",
          "@at",
          "`tick",
          "|pipe",
          ">fold",
          "'single'",
          "\"double\"",
          " lead",
          "trail ",
          "two\nlines",
          "ends with newline\n",
          "\ttab",
          "cr\rlf",
          "bell\u0007",
          "ls\u2028ps",
          "nel\u0085",
          "é λ 🚀");

  @Test
  void writeProject_smallProject_loadsEqual(@TempDir Path dir) {
    Analysis root = smallProject();
    Universe universe = smallUniverse();

    AstraWriter.writeProject(dir, root, List.of(universe));
    LoadedProject loaded = ProjectLoader.load(dir);

    assertThat(loaded.report().errors()).isEmpty();
    assertThat(loaded.analysis()).isEqualTo(root);
    assertThat(loaded.universes())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.declared()).contains(universe);
              assertThat(u.choices().toString())
                  .isEqualTo("{method=robust, seed=s42, calibration.cal_method=pitpz}");
            });
  }

  @Test
  void analysisYaml_smallAnalysis_isSchemaOrderedAndMinimal() {
    Analysis a =
        Analysis.builder()
            .id(AnalysisId.of("fit"))
            .version("0.1")
            .addInputs(
                Input.builder().id(InputId.of("raw")).type(InputType.DATA).source("d.csv").build())
            .addOutputs(
                Output.builder()
                    .id(OutputId.of("model"))
                    .type(OutputType.DATA)
                    .addInputs(Ref.local("raw"))
                    .addDecisions(DecisionId.of("method"))
                    .recipe(
                        Recipe.builder()
                            .command("fit {inputs.raw} --method {decisions.method} > {output}")
                            .resources(Resources.builder().cpus(8).memory("16Gi").build())
                            .build())
                    .build())
            .putDecision(
                DecisionId.of("method"),
                Decision.builder()
                    .id(DecisionId.of("method"))
                    .label("Method")
                    .defaultOption(OptionId.of("ols"))
                    .putOption(OptionId.of("ols"), option("ols", "OLS"))
                    .putOption(OptionId.of("yes"), option("yes", "42"))
                    .build())
            .build();

    assertThat(AstraWriter.analysisYaml(a))
        .isEqualTo(
            """
            id: fit
            version: "0.1"
            inputs:
              - id: raw
                type: data
                source: d.csv
            outputs:
              - id: model
                type: data
                inputs:
                  - raw
                decisions:
                  - method
                recipe:
                  command: "fit {inputs.raw} --method {decisions.method} > {output}"
                  resources:
                    cpus: 8
                    memory: "16Gi"
            decisions:
              method:
                label: Method
                default: ols
                options:
                  ols:
                    label: OLS
                  "yes":
                    label: "42"
            """);
  }

  @Test
  void analysisYaml_labelsThatLookLikeOtherTypes_stayStrings(@TempDir Path dir) {
    Decision.Builder decision =
        Decision.builder().id(DecisionId.of("choice")).label("yes").rationale("1.0");
    for (int i = 0; i < AMBIGUOUS.size(); i++) {
      decision.putOption(OptionId.of("o" + i), option("o" + i, AMBIGUOUS.get(i)));
    }
    Analysis a =
        Analysis.builder()
            .id(AnalysisId.of("null"))
            .version("1.10")
            .name("0.5")
            .addAllTags(AMBIGUOUS)
            .putDecision(DecisionId.of("choice"), decision.build())
            .build();

    String yaml = AstraWriter.analysisYaml(a);

    // Every scalar reads back as the string written, typed as a string (not a number or bool).
    List<YScalar> scalars = new ArrayList<>();
    YamlReader.Result read = YamlReader.read("astra.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(read.problems()).isEmpty();
    collectScalars(read.root().orElseThrow(), scalars);
    assertThat(scalars).allSatisfy(s -> assertThat(s.type()).isEqualTo(YScalar.Type.STRING));
    assertThat(scalars.stream().map(YScalar::text)).containsAll(AMBIGUOUS).contains("1.10", "0.5");
    // ... and the loader gives back the same model.
    AstraWriter.writeProject(dir, a, List.of());
    LoadedProject loaded = ProjectLoader.load(dir);
    assertThat(loaded.report().errors()).isEmpty();
    assertThat(loaded.analysis()).isEqualTo(a);
  }

  @Test
  void writeProject_pathSubAnalysis_parentHoldsOnlyIdAndPath(@TempDir Path dir) throws IOException {
    Analysis inner =
        Analysis.builder().id(AnalysisId.of("inner")).path("deeper").name("Inner").build();
    Analysis sub =
        Analysis.builder()
            .id(AnalysisId.of("sub"))
            .path("parts/sub")
            .name("Sub")
            .putAnalysis(AnalysisId.of("inner"), inner)
            .build();
    Analysis root =
        Analysis.builder().id(AnalysisId.of("root")).putAnalysis(AnalysisId.of("sub"), sub).build();

    AstraWriter.writeProject(dir, root, List.of());

    assertThat(Files.readString(dir.resolve("astra.yaml")))
        .isEqualTo(
            """
            id: root
            analyses:
              sub:
                id: sub
                path: parts/sub
            """);
    assertThat(Files.readString(dir.resolve("parts/sub/astra.yaml")))
        .isEqualTo(
            """
            id: sub
            name: Sub
            analyses:
              inner:
                id: inner
                path: deeper
            """);
    assertThat(Files.readString(dir.resolve("parts/sub/deeper/astra.yaml")))
        .isEqualTo("id: inner\nname: Inner\n");
    assertThat(ProjectLoader.load(dir).analysis()).isEqualTo(root);
  }

  @Test
  void writeProject_pathLeavingTheProject_isRefused(@TempDir Path dir) {
    Analysis root =
        Analysis.builder()
            .id(AnalysisId.of("root"))
            .putAnalysis(
                AnalysisId.of("sub"),
                Analysis.builder().id(AnalysisId.of("sub")).path("../elsewhere").build())
            .build();

    assertThatThrownBy(() -> AstraWriter.writeProject(dir.resolve("p"), root, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the project");
  }

  @Test
  void writeProject_twoSubAnalysesInOneDirectory_isRefused(@TempDir Path dir) {
    Analysis root =
        Analysis.builder()
            .id(AnalysisId.of("root"))
            .putAnalysis(
                AnalysisId.of("a"), Analysis.builder().id(AnalysisId.of("a")).path("x").build())
            .putAnalysis(
                AnalysisId.of("b"), Analysis.builder().id(AnalysisId.of("b")).path("./x").build())
            .build();

    assertThatThrownBy(() -> AstraWriter.writeProject(dir, root, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("written twice");
  }

  @Test
  void analysisYaml_multiLineStringWithNextLine_isRefused() {
    Analysis a =
        Analysis.builder().id(AnalysisId.of("a")).description("one\ntwo\u0085three").build();

    assertThatThrownBy(() -> AstraWriter.analysisYaml(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0085");
  }

  @Test
  void universeYaml_nestedSelections_inSchemaOrder() {
    assertThat(AstraWriter.universeYaml(smallUniverse()))
        .isEqualTo(
            """
            id: base-1
            description: "2025-01-01: the baseline"
            decisions:
              method: robust
            analyses:
              calibration:
                id: calibration
                decisions:
                  cal_method: pitpz
            """);
  }

  private static Option option(String id, String label) {
    return Option.builder().id(OptionId.of(id)).label(label).build();
  }

  private static Analysis smallProject() {
    Insight prior =
        Insight.builder()
            .id(InsightId.of("robust_wins"))
            .claim("Robust fits resist outliers.")
            .createdAt("2025-06-15T10:30:00Z")
            .addEvidence(
                Evidence.builder()
                    .id(EvidenceId.of("ev_paper"))
                    .doi("10.1234/abc")
                    .version(2)
                    .quote(TextQuote.builder().exact("it works").prefix("We find").build())
                    .location(PageLocation.builder().value("page=3").page(3).build())
                    .build())
            .derived(false)
            .addTags("1.0")
            .build();
    Insight finding =
        Insight.builder()
            .id(InsightId.of("result"))
            .label("Result")
            .claim("The fit converges.")
            .createdAt("2025-08-20T16:45:00")
            .addEvidence(Evidence.builder().id(EvidenceId.of("ev")).artifact("fit").build())
            .build();
    Analysis calibration =
        Analysis.builder()
            .id(AnalysisId.of("calibration"))
            .path("calibration")
            .description("Calibrates.\nTwo lines.\n")
            .addInputs(Input.builder().id(InputId.of("fitted")).from(ref("../catalog")).build())
            .addOutputs(
                Output.builder()
                    .id(OutputId.of("calibrated"))
                    .type(OutputType.TABLE)
                    .addInputs(Ref.local("fitted"))
                    .addDecisions(DecisionId.of("cal_method"), DecisionId.of("seed"))
                    .recipe(
                        Recipe.of(
                            "calibrate {inputs.fitted} --seed {decisions.seed}"
                                + " | awk '{{print $1}}' > {output}"))
                    .build())
            .putDecision(
                DecisionId.of("cal_method"),
                Decision.builder()
                    .id(DecisionId.of("cal_method"))
                    .label("Calibration")
                    .defaultOption(OptionId.of("pitpz"))
                    .putOption(OptionId.of("pitpz"), option("pitpz", "PIT"))
                    .putOption(
                        OptionId.of("isotonic"),
                        Option.builder()
                            .id(OptionId.of("isotonic"))
                            .label("Isotonic")
                            .addRequires(optionRef("../method.robust"))
                            .build())
                    .build())
            .putDecision(
                DecisionId.of("seed"),
                Decision.builder()
                    .id(DecisionId.of("seed"))
                    .from(ref("../seed"))
                    .addWhen(Condition.parse("~cal_method.isotonic").orElseThrow())
                    .build())
            .build();
    return Analysis.builder()
        .id(AnalysisId.of("demo"))
        .version("0.1.0")
        .name("Demo")
        .addTags("example", "no")
        .addInputs(
            Input.builder()
                .id(InputId.of("catalog"))
                .label("Catalog")
                .type(InputType.DATA)
                .description("The catalog")
                .source("data/catalog.csv")
                .build(),
            Input.builder()
                .id(InputId.of("upstream"))
                .type(InputType.ANALYSIS)
                .ref("https://example.org/astra")
                .refVersion("1.2")
                .addUseOutputs("table", "plot")
                .build())
        .addOutputs(
            Output.builder()
                .id(OutputId.of("fit"))
                .type(OutputType.METRIC)
                .addInputs(Ref.local("catalog"))
                .addDecisions(DecisionId.of("method"))
                .addWhen(Condition.parse("seed.s42").orElseThrow())
                .recipe(
                    Recipe.builder()
                        .command("python3 fit.py {inputs} --method {decisions.method} {output}")
                        .resources(
                            Resources.builder()
                                .cpus(0.5)
                                .memory("512Mi")
                                .timeLimit("1h30m")
                                .disk("10Gi")
                                .gpus(1)
                                .build())
                        .container("python:3.11")
                        .build())
                .build(),
            Output.builder()
                .id(OutputId.of("calibrated"))
                .from(ref("calibration.calibrated"))
                .build())
        .putDecision(
            DecisionId.of("method"),
            Decision.builder()
                .id(DecisionId.of("method"))
                .label("Fit method")
                .rationale("Outliers matter")
                .addTags("methodology")
                .defaultOption(OptionId.of("ols"))
                .putOption(
                    OptionId.of("ols"),
                    Option.builder()
                        .id(OptionId.of("ols"))
                        .label("OLS")
                        .description("Ordinary least squares")
                        .addIncompatibleWith(optionRef("calibration.cal_method.isotonic"))
                        .build())
                .putOption(
                    OptionId.of("robust"),
                    Option.builder()
                        .id(OptionId.of("robust"))
                        .label("Robust")
                        .addInsights(InsightId.of("robust_wins"))
                        .build())
                .putOption(
                    OptionId.of("ridge"),
                    Option.builder()
                        .id(OptionId.of("ridge"))
                        .label("Ridge")
                        .excluded(true)
                        .excludedReason("Not needed")
                        .build())
                .build())
        .putDecision(
            DecisionId.of("seed"),
            Decision.builder()
                .id(DecisionId.of("seed"))
                .label("Seed")
                .defaultOption(OptionId.of("s42"))
                .putOption(OptionId.of("s42"), option("s42", "42"))
                .putOption(OptionId.of("s7"), option("s7", "7"))
                .build())
        .putPriorInsight(prior.id(), prior)
        .putFinding(finding.id(), finding)
        .container("Containerfile")
        .putAnalysis(calibration.id(), calibration)
        .build();
  }

  private static Universe smallUniverse() {
    return Universe.builder()
        .id(UniverseId.of("base-1"))
        .description("2025-01-01: the baseline")
        .putDecision(DecisionId.of("method"), OptionId.of("robust"))
        .putAnalysis(
            AnalysisId.of("calibration"),
            UniverseNode.builder()
                .id(AnalysisId.of("calibration"))
                .putDecision(DecisionId.of("cal_method"), OptionId.of("pitpz"))
                .build())
        .build();
  }

  private static Ref ref(String text) {
    return Ref.parse(text).orElseThrow();
  }

  private static OptionRef optionRef(String text) {
    return OptionRef.parse(text).orElseThrow();
  }

  private static void collectScalars(YNode node, List<YScalar> out) {
    if (node instanceof YScalar s) {
      out.add(s);
    } else if (node instanceof YSeq seq) {
      seq.items().forEach(i -> collectScalars(i, out));
    } else if (node instanceof YMap map) {
      map.entries().forEach(e -> collectScalars(e.value(), out));
    }
  }
}
