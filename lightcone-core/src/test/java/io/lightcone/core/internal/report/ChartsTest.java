package io.lightcone.core.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ChartsTest {
  private static final Pattern RULE = Pattern.compile("\\.([\\w-]+)\\{([^}]*)\\}");

  /** A real chart, as JFreeSVG draws it: many marks, a few distinct styles. */
  private static JFreeChart chart() {
    XYSeries s = new XYSeries("values");
    for (int i = 0; i < 200; i++) {
      s.add(i, Math.sin(i / 10.0));
    }
    return ChartFactory.createScatterPlot("t", "x", "y", new XYSeriesCollection(s));
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
  }

  @Test
  void svg_writesEachStyleOnce_andEveryElementKeepsItsStyleThroughItsClass() throws Exception {
    JFreeChart chart = chart();
    org.jfree.svg.SVGGraphics2D g2 = new org.jfree.svg.SVGGraphics2D(400, 300);
    g2.setDefsKeyPrefix("a-");
    chart.draw(g2, new java.awt.Rectangle(0, 0, 400, 300));
    String drawn = g2.getSVGElement("a");
    Document before = parse(drawn);

    String classed = Charts.classed(drawn, "a");
    Document after = parse(classed);

    assertThat(classed.length()).isLessThan(drawn.length() * 4 / 5);
    NodeList styles = after.getElementsByTagNameNS("*", "style");
    assertThat(styles.getLength()).isEqualTo(1);
    Map<String, String> rules = new HashMap<>();
    Matcher m = RULE.matcher(styles.item(0).getTextContent());
    while (m.find()) {
      assertThat(rules.put(m.group(1), m.group(2))).as("one rule per class").isNull();
    }
    assertThat(rules).isNotEmpty().allSatisfy((name, rule) -> assertThat(name).startsWith("a-s"));
    // Element by element, in document order, the same elements with the same style.
    NodeList was = before.getElementsByTagNameNS("*", "*");
    NodeList is = after.getElementsByTagNameNS("*", "*");
    int j = 0;
    for (int i = 0; i < was.getLength(); i++, j++) {
      Element e = (Element) is.item(j);
      if (e.getLocalName().equals("style")) {
        e = (Element) is.item(++j);
      }
      Element w = (Element) was.item(i);
      assertThat(e.getLocalName()).isEqualTo(w.getLocalName());
      assertThat(e.hasAttribute("style")).isFalse();
      String style = w.getAttribute("style");
      assertThat(e.hasAttribute("class")).isEqualTo(!style.isEmpty());
      if (!style.isEmpty()) {
        assertThat(rules.get(e.getAttribute("class"))).isEqualTo(style);
      }
    }
    assertThat(j).isEqualTo(is.getLength());
  }

  @Test
  void svg_twoChartsOnOnePage_haveTheirOwnClasses() {
    String one = Charts.svg(chart(), 400, 300, "one");
    String two = Charts.svg(chart(), 400, 300, "two");
    assertThat(one).contains("class='one-s0'").doesNotContain("two-s");
    assertThat(two).contains("class='two-s0'").doesNotContain("one-s");
  }

  @Test
  void classed_leavesAnSvgThatAlreadyUsesClassesAsItIs() {
    String svg = "<svg xmlns='http://www.w3.org/2000/svg'><rect class='x' style='fill:red'/></svg>";
    assertThat(Charts.classed(svg, "p")).isEqualTo(svg);
  }
}
