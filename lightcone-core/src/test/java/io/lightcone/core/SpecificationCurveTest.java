package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class SpecificationCurveTest {
  @TempDir Path dir;

  private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("estimator", List.of("mean", "median", "trimmed"));
    OPTIONS.put("scale", List.of("linear", "log"));
    OPTIONS.put("outliers", List.of("keep", "clip"));
  }

  /** {@code n} universes with random choices; every fifth has an interval. */
  private static List<SpecificationCurve.Point> points(int n) {
    Random random = new Random(n);
    List<SpecificationCurve.Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> choices = new LinkedHashMap<>();
      OPTIONS.forEach((d, os) -> choices.put(d, os.get(random.nextInt(os.size()))));
      double v = random.nextGaussian() * 3 + (choices.get("scale").equals("log") ? 2 : 0);
      SpecificationCurve.Point p = SpecificationCurve.Point.of("u" + i, choices, v);
      points.add(i % 5 == 0 ? p.withInterval(v - 1, v + 1) : p);
    }
    return points;
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
  }

  private static Element group(Document doc, String id) {
    NodeList gs = doc.getElementsByTagNameNS("*", "g");
    for (int i = 0; i < gs.getLength(); i++) {
      Element g = (Element) gs.item(i);
      if (id.equals(g.getAttribute("id"))) {
        return g;
      }
    }
    throw new AssertionError("no <g id='" + id + "'>");
  }

  /** The drawn shapes (not groups or clip paths) in {@code g}, of the given element names. */
  private static int shapes(Element g, String... names) {
    int count = 0;
    NodeList all = g.getElementsByTagNameNS("*", "*");
    for (int i = 0; i < all.getLength(); i++) {
      if (List.of(names).contains(all.item(i).getLocalName())) {
        count++;
      }
    }
    return count;
  }

  private static List<String> texts(Document doc) {
    List<String> texts = new ArrayList<>();
    NodeList ts = doc.getElementsByTagNameNS("*", "text");
    for (int i = 0; i < ts.getLength(); i++) {
      Node t = ts.item(i);
      texts.add(t.getTextContent());
    }
    return texts;
  }

  @Test
  void svg_tenUniverses_onePointPerUniverse_aMarkPerDecision_labelledRowsAndAxes()
      throws Exception {
    List<SpecificationCurve.Point> points = points(10);
    SpecificationCurve curve = SpecificationCurve.of("distance_modulus", OPTIONS, points);
    assertThat(curve.dense()).isFalse();

    Document svg = parse(curve.toSvg("c1"));

    assertThat(shapes(group(svg, "c1-points"), "ellipse", "path", "circle")).isEqualTo(10);
    // Universes u0 and u5 have an interval: one vertical bar each (and caps).
    assertThat(shapes(group(svg, "c1-intervals"), "line")).isGreaterThanOrEqualTo(2);
    assertThat(shapes(group(svg, "c1-marks"), "path", "rect")).isEqualTo(10 * OPTIONS.size());
    assertThat(texts(svg))
        .contains(
            "distance_modulus in 10 universes, lowest to highest",
            "universes, ranked by distance_modulus",
            "estimator = mean",
            "estimator = trimmed",
            "scale = log",
            "outliers = clip");
    // At ten universes each rank is labelled with its universe (vertical, so drawn as outlines).
    assertThat(texts(svg)).doesNotContain("10 universes, ranked by distance_modulus");
    // Every id is prefixed, so that two curves can share a page.
    NodeList all = svg.getElementsByTagNameNS("*", "*");
    for (int i = 0; i < all.getLength(); i++) {
      String id = ((Element) all.item(i)).getAttribute("id");
      assertThat(id).matches("(c1.*)?");
    }
  }

  @Test
  void svg_rankedByValue_theLowestFirst() {
    List<SpecificationCurve.Point> points = points(50);
    SpecificationCurve curve = SpecificationCurve.of("x", points);
    assertThat(curve.ranked()).extracting(SpecificationCurve.Point::value).isSorted().hasSize(50);
    // Options are those the points name, in the order first named.
    assertThat(curve.options()).containsOnlyKeys("estimator", "scale", "outliers");
  }

  @Test
  void svg_tenThousandUniverses_densityForm_boundedSizeAndNoUniverseLabels() throws Exception {
    SpecificationCurve curve = SpecificationCurve.of("slope", OPTIONS, points(10_000));
    assertThat(curve.dense()).isTrue();

    String text = curve.toSvg("big");
    Document svg = parse(text);

    // The values are one line, the intervals one band; the marks are bins, not universes.
    assertThat(shapes(group(svg, "big-line"), "path", "polyline")).isEqualTo(1);
    assertThat(shapes(group(svg, "big-band"), "path", "polygon")).isEqualTo(1);
    // One cell at most per rank bin and option row.
    int cells = shapes(group(svg, "big-density"), "rect", "path");
    assertThat(cells).isPositive().isLessThanOrEqualTo(200 * 7);
    assertThat(texts(svg))
        .contains(
            "slope in 10000 universes, lowest to highest",
            "10000 universes, ranked by slope (marks: share per rank bin)",
            "scale = log");
    // Rank ticks, not a label per universe: a few dozen texts in all.
    assertThat(texts(svg)).hasSizeLessThan(60);
    assertThat(text.length()).isLessThan(500_000);
  }

  @Test
  void png_decodes_atTheDocumentedSize() throws Exception {
    for (int n : new int[] {10, 10_000}) {
      SpecificationCurve curve = SpecificationCurve.of("slope", OPTIONS, points(n));
      Path file = dir.resolve("curve-" + n + ".png");
      curve.writePng(file);
      BufferedImage image = ImageIO.read(file.toFile());
      assertThat(image).as("PNG of %d universes", n).isNotNull();
      assertThat(image.getWidth()).isEqualTo(curve.width());
      assertThat(image.getHeight()).isEqualTo(curve.height());
    }
  }

  @Test
  void writeSvg_isAStandaloneSvgFile() throws Exception {
    Path file = dir.resolve("curve.svg");
    SpecificationCurve.of("slope", OPTIONS, points(10)).writeSvg(file);
    Document svg = parse(Files.readString(file));
    assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
  }

  @Test
  void of_badPoints_oneLineErrors() {
    assertThatThrownBy(() -> SpecificationCurve.of("slope", List.of()))
        .isInstanceOf(LightconeException.class)
        .hasMessage("no universe has a value of 'slope' to draw a specification curve of");
    assertThatThrownBy(
            () ->
                SpecificationCurve.of(
                    "slope", List.of(SpecificationCurve.Point.of("a", Map.of(), Double.NaN))))
        .hasMessage("'slope' of universe 'a' is not a finite number: NaN");
    assertThatThrownBy(
            () ->
                SpecificationCurve.of(
                    "slope",
                    OPTIONS,
                    List.of(SpecificationCurve.Point.of("a", Map.of("scale", "sqrt"), 1))))
        .hasMessage(
            "universe 'a' chose option 'sqrt' of decision 'scale', which the curve's options do"
                + " not list ([linear, log])");
  }
}
