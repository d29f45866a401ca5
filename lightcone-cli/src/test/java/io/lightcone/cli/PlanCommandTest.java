package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.Plan;
import io.lightcone.PlannedTask.Action;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path sample() {
    return TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
  }

  @Test
  void plan_freshSample_printsEveryTaskWithActionAndReason_exits0() {
    Path project = sample();

    Lc.Result result = Lc.run("plan", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines().get(0)).matches("TASK +ACTION +REASONS");
    assertThat(result.outLines())
        .contains("baseline/calibration.zero_point       run     missing")
        .endsWith("11 tasks in 2 universe(s): 11 to run");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void plan_universeAndTarget_plansOnlyWhatTheTargetNeeds() {
    Path project = sample();

    Lc.Result result = Lc.run("plan", "-C", project.toString(), "-u", "baseline", "pl_fit");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.outLines())
        .hasSize(4)
        .endsWith("2 tasks in 1 universe(s): 2 to run")
        .anyMatch(l -> l.startsWith("baseline/photometry "))
        .anyMatch(l -> l.startsWith("baseline/pl_fit "));
  }

  @Test
  void plan_json_hasTheDocumentedShape() throws Exception {
    Path project = sample();

    Lc.Result result = Lc.run("plan", "--json", "--project", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).endsWith("}\n").contains("\n  \"tasks\": [\n");
    JsonNode root = JSON.readTree(result.out());
    assertThat(root.fieldNames()).toIterable().containsExactly("tasks", "universes");
    assertThat(root.get("tasks")).hasSize(11);
    JsonNode fit = root.get("tasks").get(1);
    assertThat(fit.fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "universe_id",
            "output_id",
            "analysis_id",
            "action",
            "reasons",
            "depends_on",
            "command",
            "code_version",
            "resources");
    assertThat(fit.get("id").asText()).isEqualTo("baseline/pl_fit");
    assertThat(fit.get("universe_id").asText()).isEqualTo("baseline");
    assertThat(fit.get("output_id").asText()).isEqualTo("pl_fit");
    assertThat(fit.get("analysis_id").asText()).isEqualTo("period_luminosity");
    assertThat(fit.get("action").asText()).isEqualTo("run");
    assertThat(fit.get("reasons")).extracting(JsonNode::asText).containsExactly("missing");
    assertThat(fit.get("depends_on"))
        .extracting(JsonNode::asText)
        .containsExactly("baseline/photometry");
    assertThat(fit.get("command").asText())
        .startsWith("python3 src/fit_pl.py --photometry results/baseline/photometry")
        .contains("--method ols");
    assertThat(fit.get("code_version").asText()).matches("sha256:[0-9a-f]{64}");
    assertThat(fit.get("resources").toString())
        .isEqualTo("{\"cpus\":1,\"memory\":\"256Mi\",\"time_limit\":\"5m\"}");
    JsonNode zeroPoint = root.get("tasks").get(2);
    assertThat(zeroPoint.get("output_id").asText()).isEqualTo("zero_point");
    assertThat(zeroPoint.get("analysis_id").asText()).isEqualTo("calibration");
    assertThat(root.get("tasks").get(3).get("resources").toString()).isEqualTo("{}");
    JsonNode baseline = root.get("universes").get(0);
    assertThat(baseline.get("universe_id").asText()).isEqualTo("baseline");
    assertThat(baseline.get("decisions").toString())
        .isEqualTo(
            "{\"fit_method\":\"ols\",\"magnitude\":\"wesenheit\","
                + "\"calibration.parallax_offset\":\"lindegren2021\"}");
  }

  @Test
  void plan_jsonMultiverse_listsWhatEveryMvUniverseChose() throws Exception {
    Path project = sample();

    Lc.Result result = Lc.run("plan", "--json", "--multiverse", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode universes = JSON.readTree(result.out()).get("universes");
    // fit_method (2) x magnitude (2) x parallax_offset (2)
    assertThat(universes).hasSize(8);
    List<String> choices = new ArrayList<>();
    for (JsonNode u : universes) {
      assertThat(u.get("universe_id").asText()).matches("mv-[0-9a-f]{10}");
      choices.add(u.get("decisions").toString());
    }
    assertThat(choices).doesNotHaveDuplicates();
  }

  @Test
  void plan_dot_isADigraph_withRunAndSkipStyledApart() {
    Plan plan = SyntheticPlans.chain(3);
    StringWriter text = new StringWriter();

    PlanCommand.dot(plan, new PrintWriter(text));

    assertThat(text.toString().lines())
        .startsWith("digraph plan {")
        .contains(
            "  subgraph \"cluster_u\" {",
            "    \"u/out_0\" [label=\"out_0\\nrun: missing\", fillcolor=\"#ffd98e\"];",
            "    \"u/out_1\" [label=\"out_1\\nskip: fresh\", fillcolor=\"#eeeeee\","
                + " fontcolor=\"#777777\", style=\"rounded,filled,dashed\"];",
            "  \"u/out_0\" -> \"u/out_1\";",
            "  \"u/out_1\" -> \"u/out_2\";")
        .endsWith("}");
  }

  @Test
  void plan_dot_onSample_exits0() {
    Path project = sample();

    Lc.Result result = Lc.run("plan", "--dot", "-C", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .startsWith("digraph plan {")
        .contains("\"baseline/photometry\" -> \"baseline/pl_fit\";")
        .contains("\"baseline/calibration.zero_point\" -> \"baseline/distance\";");
  }

  @Test
  void dotQuote_escapesQuotesBackslashesAndNewlines() {
    assertThat(PlanCommand.quote("a \"b\" \\c\nd")).isEqualTo("\"a \\\"b\\\" \\\\c\\nd\"");
  }

  @Test
  void plan_jsonAndDot_isUsageError_exits2() {
    Lc.Result result = Lc.run("plan", "--json", "--dot", "-C", sample().toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("mutually exclusive");
  }

  @Test
  void plan_forceAndForceAll_isUsageError_exits2() {
    Lc.Result result = Lc.run("plan", "--force", "--force-all", "-C", sample().toString());

    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void plan_forceTarget_reasonIsForced() {
    Lc.Result result =
        Lc.run("plan", "--force", "-u", "baseline", "photometry", "-C", sample().toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("forced");
  }

  @Test
  void plan_unknownUniverse_namesTheKnownOnes_exits3() {
    Lc.Result result = Lc.run("plan", "-u", "nope", "-C", sample().toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("'nope'", "baseline, robust_v_band");
  }

  @Test
  void plan_missingProjectDir_isUsageError_exits2() {
    Lc.Result result = Lc.run("plan", "-C", dir.resolve("absent").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("does not exist");
  }

  @Test
  void plan_invalidProject_exits3() {
    Path project = TestProjects.invalidProject(dir.resolve("invalid"));

    Lc.Result result = Lc.run("plan", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("invalid project");
  }

  /** Counts characters and throws them away: the cost measured is rendering, not storing. */
  private static final class CountingWriter extends Writer {
    long chars;

    @Override
    public void write(char[] buffer, int offset, int length) {
      chars += length;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void planJson_100kTasks_isStreamedCompletely() {
    // Speed is measured by bench/plan.sh, not here: a timed test fails on a busy machine.
    Plan plan = SyntheticPlans.chain(100_000);
    CountingWriter out = new CountingWriter();

    PlanCommand.json(plan, out);

    assertThat(out.chars).isGreaterThan(100_000L * 300);
  }

  @Test
  void planJson_syntheticChain_writesResourcesAsDeclared() throws Exception {
    StringWriter text = new StringWriter();

    PlanCommand.json(SyntheticPlans.chain(2), text);

    JsonNode root = JSON.readTree(text.toString());
    assertThat(root.get("tasks").get(1).get("action").asText()).isEqualTo(Action.SKIP.word());
    assertThat(root.get("tasks").get(0).get("resources").toString())
        .isEqualTo(
            "{\"cpus\":2,\"memory\":\"4Gi\",\"gpus\":1,\"time_limit\":\"30m\",\"disk\":\"1G\"}");
    assertThat(root.get("universes").get(0).get("decisions").toString())
        .isEqualTo("{\"method\":\"ols\",\"sub.offset\":\"none\"}");
  }

  @Test
  void plan_substrateSnakemake_addsSnakemakesDryRun_andRefusesJsonOrAnUnknownName() {
    Path project = sample();

    Lc.Result dry = Lc.run("plan", "-C", project.toString(), "--substrate", "snakemake");

    assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out())
        .contains("11 to run")
        .contains("snakemake --dry-run of .lightcone/Snakefile:", "Job stats:");
    assertThat(project.resolve(".lightcone/Snakefile")).isRegularFile();
    assertThat(project.resolve("results")).doesNotExist();
    Lc.Result json = Lc.run("plan", "-C", project.toString(), "--substrate", "snakemake", "--json");
    assertThat(json.exitCode()).isEqualTo(2);
    assertThat(json.err()).contains("--json and --dot cannot hold");
    Lc.Result unknown = Lc.run("plan", "-C", project.toString(), "--substrate", "kubernetes");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("this lc runs on: local, dask, slurm, snakemake");
  }
}
