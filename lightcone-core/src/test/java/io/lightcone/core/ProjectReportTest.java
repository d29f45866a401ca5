package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code project.report(file)} over a project that really ran, with one failed task. */
class ProjectReportTest {
  @TempDir Path dir;

  /** A 1×1 PNG. */
  static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  /**
   * Two decisions, four universes; the metric has an interval; universe 'broken' fails its metric
   * (the recipe exits 1 after printing to its log) and its figure is skipped. Every name holds a
   * character HTML must escape.
   */
  static Path project(Path dir) throws Exception {
    Path p =
        TestProjects.write(
            dir,
            "astra.yaml",
            """
            id: report_test
            name: "Report <test> & co"
            decisions:
              scale:
                label: Scale
                default: linear
                options:
                  linear: {label: Linear}
                  log: {label: Log}
              fail:
                label: Fail on purpose
                default: "no"
                options:
                  "no": {label: No}
                  "yes": {label: Yes}
            outputs:
              - id: estimate
                type: metric
                decisions: [scale, fail]
                recipe:
                  command: "sh estimate.sh {decisions.scale} {decisions.fail} {output}"
              - id: plot
                type: figure
                inputs: [estimate]
                recipe:
                  command: "echo %s | base64 -d > {output}/plot.png"
            """
                .formatted(PNG),
            "estimate.sh",
            """
            if [ "$2" = yes ]; then echo 'boom <b>&' >&2; exit 1; fi
            case "$1" in linear) v=1.5;; log) v=2.5;; esac
            echo "{\\"mu\\": $v, \\"mu_lo\\": 1, \\"mu_hi\\": 3, \\"name\\": \\"x\\"}" > "$3/estimate.json"
            """,
            "universes/a_linear.yaml",
            "decisions:\n  scale: linear\n",
            "universes/b_log.yaml",
            "decisions:\n  scale: log\n",
            "universes/broken.yaml",
            "decisions:\n  scale: log\n  fail: \"yes\"\n");
    return p;
  }

  @Test
  void report_afterARunWithAFailure_showsEverySectionAndTheFailure() throws Exception {
    Path p = project(dir.resolve("p"));
    Project project = Project.load(p);
    project.plan().execute(LocalSubstrate.create().keepGoing(true));

    Path file = dir.resolve("out/report.html");
    project.report(file);

    Document doc = Jsoup.parse(Files.readString(file));
    assertThat(doc.title()).isEqualTo("Lightcone report: Report <test> & co");
    for (String id :
        List.of(
            "project",
            "decisions",
            "universes",
            "outputs",
            "timeline",
            "curves",
            "figures",
            "failures")) {
      assertThat(doc.getElementById(id)).as("section #%s", id).isNotNull();
    }
    // Self-contained: no external script, stylesheet, image or link.
    assertThat(doc.select("script[src], link, iframe")).isEmpty();
    assertThat(doc.select("img"))
        .as("images of %s", project.status())
        .isNotEmpty()
        .allSatisfy(i -> assertThat(i.attr("src")).startsWith("data:image/png;base64,"));
    assertThat(Base64.getDecoder().decode(doc.select("img").first().attr("src").split(",")[1]))
        .isEqualTo(Base64.getDecoder().decode(PNG));
    assertThat(doc.select("img")).hasSize(2); // a_linear and b_log made a plot; broken did not

    // Universes × decisions.
    Element universes = doc.getElementById("universes").selectFirst("table");
    assertThat(universes.select("thead th").eachText())
        .containsExactly("universe", "from", "scale", "fail");
    assertThat(universes.select("tbody tr")).hasSize(3);

    // Status, verification and provenance of each output.
    Element outputs = doc.getElementById("outputs").selectFirst("table");
    Element linear =
        outputs.select("tbody tr").stream()
            .filter(
                r -> r.child(0).text().equals("a_linear") && r.child(1).text().equals("estimate"))
            .findFirst()
            .orElseThrow();
    assertThat(linear.child(2).text()).isEqualTo("ok");
    assertThat(linear.child(3).text()).isEqualTo("ok");
    String data = project.manifest("a_linear/estimate").orElseThrow().dataVersion();
    assertThat(linear.child(4).text()).isEqualTo(data.substring(7, 19));
    assertThat(linear.child(7).text()).isEqualTo("local");
    assertThat(linear.child(8).text()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(outputs.select("tbody tr").eachText())
        .anyMatch(t -> t.startsWith("broken estimate failed"));

    // The curve of the metric's field, with its points and the indicator rows.
    Element curves = doc.getElementById("curves");
    assertThat(curves.select("svg")).as(curves.text()).hasSize(1);
    assertThat(curves.select("g[id$=-points] path, g[id$=-points] ellipse")).hasSize(2);
    assertThat(curves.select("g[id$=-intervals] line")).isNotEmpty();
    assertThat(curves.select("svg text").eachText())
        .contains("estimate.mu in 2 universes, lowest to highest", "scale = linear", "fail = yes");
    // mu_lo and mu_hi are the interval of mu, not curves of their own; 'name' is not a number.
    assertThat(curves.select("figcaption").eachText())
        .containsExactly("estimate.mu: 2 universes whose output is ok, ranked by value");

    // The timeline: one bar per output that was made (4), on slots.
    assertThat(doc.getElementById("timeline").select("svg")).hasSize(1);
    assertThat(doc.getElementById("timeline").text()).contains("4 tasks (0 restored");

    // The failure, with the end of its log, escaped.
    Element failures = doc.getElementById("failures");
    assertThat(failures.select("h3").eachText()).containsExactly("broken/estimate");
    assertThat(failures.selectFirst("pre").text()).contains("boom <b>&");
    assertThat(Files.readString(file)).contains("boom &lt;b&gt;&amp;");
  }

  @Test
  void report_beforeAnyRun_rendersWithEmptySections() throws Exception {
    Path p = project(dir.resolve("p"));
    Path file = dir.resolve("report.html");
    Project.load(p).report(file);

    Document doc = Jsoup.parse(Files.readString(file));
    assertThat(doc.getElementById("curves").text())
        .contains("No metric output with a numeric field is ok yet.");
    assertThat(doc.getElementById("timeline").text()).contains("nothing to draw");
    assertThat(doc.getElementById("failures").text())
        .contains("No task failed in its last attempt.");
    assertThat(doc.getElementById("outputs").select("tbody tr").eachText())
        .anyMatch(t -> t.startsWith("a_linear estimate missing"));
  }
}
