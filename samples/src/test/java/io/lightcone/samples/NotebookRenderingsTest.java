package io.lightcone.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.Plan;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import io.lightcone.event.ExecutionListener;
import io.lightcone.model.UniverseId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a notebook user sees of the sample project, plain and HTML, against golden files in {@code
 * src/test/resources/golden/}. Only the fields marked as times ({@code lc-time} in HTML, the {@code
 * TIME} column and elapsed time in plain text) and the host are masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebookRenderingsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden").toAbsolutePath();

  private Path project;
  private Project loaded;
  private Plan plan;
  private ExecutionReport report;
  private String progress;

  @BeforeAll
  void runTheSampleOnce(@TempDir Path dir) throws IOException {
    project = SampleCopy.into(dir);
    loaded = Project.load(project);
    plan = loaded.plan();
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8)) {
      report = plan.execute(LocalSubstrate.create(), ExecutionListener.printing(out));
    }
    progress = lines.toString(StandardCharsets.UTF_8);
    report.throwIfFailed();
  }

  private void assertGolden(String name, String actual) throws IOException {
    String masked =
        actual
            .replace(project.toString(), "<project>")
            .replaceAll("<td class=\"lc-time\">[^<]*</td>", "<td class=\"lc-time\">*</td>")
            .replaceAll("<span class=\"lc-time\">[^<]*</span>", "<span class=\"lc-time\">*</span>")
            .replaceAll("\\d+\\.\\ds", "*s");
    Path golden = GOLDEN.resolve(name);
    if (!Files.exists(golden)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden.resolveSibling(name + ".actual"), masked);
    }
    assertThat(golden).as("golden file; compare with " + name + ".actual").exists();
    assertThat(masked).isEqualTo(Files.readString(golden));
  }

  @Test
  void plan_plainAndHtml_matchGolden() throws IOException {
    assertGolden("plan.txt", plan.toString());
    assertGolden("plan.html", plan.toHtml());
  }

  @Test
  void universes_plainAndHtml_matchGolden() throws IOException {
    assertGolden("universes.txt", plan.universeTable().toString());
    assertGolden("universes.html", plan.universeTable().toHtml());
  }

  @Test
  void executionReport_plainAndHtml_matchGoldenWithTimesMasked() throws IOException {
    assertGolden("report.txt", report.toString());
    assertGolden("report.html", report.toHtml());
  }

  @Test
  void printingListener_printsOnePlainLinePerTask_noEscapeCodes() {
    assertThat(progress).doesNotContain("\u001b").doesNotContain("\r");
    assertThat(progress.lines())
        .hasSize(12)
        .startsWith("11 tasks, 11 to run")
        .allMatch(
            l -> l.equals("11 tasks, 11 to run") || l.matches("\\[\\d+/11] ok \\S+ \\d+\\.\\ds"))
        .anyMatch(l -> l.matches("\\[\\d+/11] ok baseline/distance \\d+\\.\\ds"));
  }

  @Test
  void statusVerifyExplain_plainAndHtml_matchGolden() throws IOException {
    assertGolden("status.txt", loaded.status().toString());
    assertGolden("status.html", loaded.status().toHtml());
    assertGolden("verify.txt", loaded.verify().toString());
    assertGolden("verify.html", loaded.verify().toHtml());
    assertGolden("explain.txt", loaded.explain("distance", "baseline").toString());
    assertGolden("explain.html", loaded.explain("distance", "baseline").toHtml());
  }

  @Test
  void manifest_plainAndHtml_matchGoldenWithTimesAndHostMasked() throws IOException {
    Manifest m = loaded.manifest("baseline/distance").orElseThrow();
    Manifest stable = Manifest.builder().from(m).host("HOST").lcVersion("LC").build();
    assertGolden(
        "manifest.txt", stable.toString().replaceAll("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z", "*"));
    assertGolden("manifest.html", stable.toHtml());
  }

  @Test
  void metric_acrossUniverses_joinsWithTheChoices() throws IOException {
    Map<UniverseId, Map<String, Object>> distance = loaded.metric("distance");
    Map<UniverseId, Double> mu = loaded.metric("distance", "distance_modulus");

    assertThat(distance.keySet())
        .containsExactly(UniverseId.of("baseline"), UniverseId.of("robust_v_band"));
    assertThat(mu.get(UniverseId.of("baseline")))
        .isEqualTo(
            ((Number) distance.get(UniverseId.of("baseline")).get("distance_modulus"))
                .doubleValue());
    assertThat(loaded.metric("reddening_check")).containsOnlyKeys(UniverseId.of("robust_v_band"));
    assertGolden("metric.txt", loaded.universeTable().with("distance_modulus", mu).toString());
    assertGolden("metric.html", loaded.universeTable().with("distance_modulus", mu).toHtml());
  }

  @Test
  void metric_missingField_namesTheFieldsThereAre() {
    assertThatThrownBy(() -> loaded.metric("distance", "hubble_constant"))
        .isInstanceOf(LightconeException.class)
        .hasMessageStartingWith(
            "output 'distance' of universe 'baseline' has no field 'hubble_constant' (fields: [");
  }

  @Test
  void metric_unknownOutput_listsTheOutputs() {
    assertThatThrownBy(() -> loaded.metric("distanse"))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("no output 'distanse'");
  }

  @Test
  void metric_notMadeYet_saysToRunThePlan(@TempDir Path other) throws IOException {
    Project fresh = Project.load(SampleCopy.into(other));

    assertThatThrownBy(() -> fresh.metric("distance", "distance_modulus"))
        .isInstanceOf(LightconeException.class)
        .hasMessage(
            "baseline/distance has not been made (results/baseline/distance has no manifest);"
                + " run the plan first: project.plan().execute(LocalSubstrate.create())");
  }
}
