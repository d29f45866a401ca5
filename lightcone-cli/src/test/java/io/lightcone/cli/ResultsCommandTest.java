package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path ran;

  @TempDir Path dir;

  @BeforeAll
  void runTheSampleOnce(@TempDir Path shared) {
    ran = RanSample.at(shared.resolve("pl"));
  }

  private String project() {
    return ran.toString();
  }

  @Test
  void results_table_choicesValuesAndSummaryLines_exits0() {
    Lc.Result r = Lc.run("results", "-C", project(), "distance.distance_modulus", "pl_fit.slope");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.outLines())
        .startsWith(
            "UNIVERSE       fit_method  magnitude  calibration.parallax_offset"
                + "  distance.distance_modulus  pl_fit.slope",
            "baseline       ols         wesenheit  lindegren2021                18.4294"
                + "                    -3.0932",
            "robust_v_band  theil_sen   v_band     uncorrected                  18.1254"
                + "                    -2.4128",
            "2 universe(s): 2 ok",
            "distance.distance_modulus: min 18.1254, median 18.2774, max 18.4294 over 2 ok"
                + " universe(s)",
            "  fit_method moves the median by 0.304 (ols 18.4294, theil_sen 18.1254)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void results_plot_writesTheCurveAsSvgWithAPointPerUniverse_andAPng() throws Exception {
    Path svg = dir.resolve("curve.svg");
    Path png = dir.resolve("curve.png");

    Lc.Result r =
        Lc.run("results", "-C", project(), "distance.distance_modulus", "--plot", svg.toString());
    Lc.Result p =
        Lc.run("results", "-C", project(), "distance.distance_modulus", "--plot", png.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .isEqualTo(
            "lc: wrote the specification curve of distance.distance_modulus (2 universes) to "
                + svg
                + "\n");
    var doc =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(svg.toFile());
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    var groups = doc.getElementsByTagName("g");
    int points = -1;
    for (int i = 0; i < groups.getLength(); i++) {
      var g = (org.w3c.dom.Element) groups.item(i);
      if (g.getAttribute("id").equals("curve-points")) {
        points = 0;
        for (String shape : new String[] {"ellipse", "path", "circle"}) {
          points += g.getElementsByTagName(shape).getLength();
        }
      }
    }
    assertThat(points).as("marks in the points group").isEqualTo(2);
    assertThat(p.exitCode()).as(p.err()).isZero();
    assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    assertBad(
        2,
        "--plot '" + dir.resolve("c.gif") + "' must end in .svg or .png",
        "distance.distance_modulus",
        "--plot",
        dir.resolve("c.gif").toString());
  }

  @Test
  void results_oneUniverse_withU() {
    Lc.Result r = Lc.run("results", "-C", project(), "-u", "baseline", "pl_fit.scatter");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.outLines()).hasSize(4).element(2).isEqualTo("1 universe(s): 1 ok");
  }

  @Test
  void results_csv_everyUniverseWithStateAndReasons() {
    Lc.Result r = Lc.run("results", "--csv", "-C", project(), "distance.distance_modulus");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "universe,fit_method,magnitude,calibration.parallax_offset,distance.distance_modulus,"
                + "state,reasons\n"
                + "baseline,ols,wesenheit,lindegren2021,18.4294,ok,\n"
                + "robust_v_band,theil_sen,v_band,uncorrected,18.1254,ok,\n");
  }

  @Test
  void results_json_theDocumentedShape() throws Exception {
    Lc.Result r =
        Lc.run("results", "--json", "-C", project(), "distance.distance_modulus", "pl_fit.slope");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.fieldNames())
        .toIterable()
        .containsExactly("fields", "decisions", "include_stale", "interval", "rows", "summary");
    JsonNode row = root.get("rows").get(0);
    assertThat(row.fieldNames())
        .toIterable()
        .containsExactly("universe_id", "choices", "values", "interval", "state", "reasons");
    assertThat(row.get("choices").get("calibration.parallax_offset").asText())
        .isEqualTo("lindegren2021");
    assertThat(row.get("values").get("distance.distance_modulus").asDouble()).isEqualTo(18.4294);
    assertThat(row.get("state").asText()).isEqualTo("ok");
    JsonNode summary = root.get("summary");
    assertThat(summary.get("universes").asInt()).isEqualTo(2);
    assertThat(summary.get("counts").get("ok").asInt()).isEqualTo(2);
    JsonNode field = summary.get("fields").get(0);
    assertThat(field.fieldNames())
        .toIterable()
        .containsExactly("field", "count", "min", "median", "max", "decisions");
    assertThat(field.get("median").asDouble()).isEqualTo((18.4294 + 18.1254) / 2);
    JsonNode decision = field.get("decisions").get(0);
    assertThat(decision.get("decision").asText()).isEqualTo("fit_method");
    assertThat(decision.get("medians").get("ols").asDouble()).isEqualTo(18.4294);
    assertThat(decision.get("counts").get("theil_sen").asInt()).isEqualTo(1);
  }

  @Test
  void results_tamperedMetric_leftOutListed_exits1() throws Exception {
    Path copy = RanSample.copy(ran, dir.resolve("pl"));
    Path json = copy.resolve("results/robust_v_band/distance/distance.json");
    Files.writeString(json, Files.readString(json).replace("18.1254", "17.0"));

    Lc.Result r = Lc.run("results", "-C", copy.toString(), "distance.distance_modulus");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .doesNotContain("17")
        .contains("1 universe(s) left out")
        .contains("  robust_v_band  tampered: distance: tampered_data: manifest sha256:")
        .contains("2 universe(s): 1 ok, 1 tampered");
  }

  @Test
  void results_staleMetric_listed_andShownMarkedWithIncludeStale() throws Exception {
    Path copy = RanSample.copy(ran, dir.resolve("pl"));
    TestProjects.edit(
        copy.resolve("universes/baseline.yaml"), "fit_method: ols", "fit_method: theil_sen");

    Lc.Result left = Lc.run("results", "-C", copy.toString(), "distance.distance_modulus");
    Lc.Result shown =
        Lc.run("results", "--include-stale", "-C", copy.toString(), "distance.distance_modulus");

    assertThat(left.exitCode()).as(left.err()).isZero();
    assertThat(left.out())
        .doesNotContain("18.4294")
        .contains("  baseline  stale: distance: upstream stale: pl_fit");
    assertThat(shown.exitCode()).isZero();
    assertThat(shown.outLines())
        .anyMatch(l -> l.matches("baseline +theil_sen .* 18\\.4294 +stale: distance: .*"))
        .anyMatch(l -> l.matches("robust_v_band .* 18\\.1254 +ok"));
  }

  @Test
  void results_badInput_oneLine_exits2or3() {
    assertBad(3, "results/baseline/distance/distance.json has no field 'nope'", "distance.nope");
    assertBad(
        3,
        "field 'magnitude' of results/baseline/distance/distance.json is \"wesenheit\", not a"
            + " number",
        "distance.magnitude");
    assertBad(3, "output 'photometry' is of type table in astra.yaml, not metric", "photometry.x");
    assertBad(3, "field 'nope.x': no output 'nope'", "nope.x");
    assertBad(3, "no universe 'nowhere'", "-u", "nowhere", "distance.distance_modulus");
    assertBad(3, "write OUTPUT.FIELD", "distance");
    assertBad(2, "--interval 'lo' is not LO,HI", "--interval", "lo", "distance.distance_modulus");
    assertBad(2, "Missing required parameter: 'FIELD'");
  }

  private void assertBad(int code, String message, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "results";
    all[1] = "-C";
    all[2] = project();
    System.arraycopy(args, 0, all, 3, args.length);
    Lc.Result r = Lc.run(all);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
    assertThat(r.err()).startsWith("lc: ").contains(message).doesNotContain("\tat ");
    if (code == 3) {
      assertThat(r.err().lines()).hasSize(1);
    }
    assertThat(r.out()).isEmpty();
  }
}
