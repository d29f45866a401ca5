package io.lightcone.core.internal.report;

import io.lightcone.LightconeException;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;

/** JFreeChart drawn into SVG (JFreeSVG) or PNG (Java2D), the same chart either way. */
final class Charts {
  private Charts() {}

  /**
   * The chart as one {@code <svg>} element; {@code idPrefix} starts the ids of its clip paths and
   * groups, so that several charts can live in one HTML page.
   */
  static String svg(JFreeChart chart, int width, int height, String idPrefix) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix(idPrefix + "-");
    // Fewer digits: marks at 1/100 px are as sharp as at 1/10^15 px, and the file is half the size.
    g2.setGeomDoubleConverter(Charts::twoDecimals);
    chart.draw(g2, new Rectangle(0, 0, width, height));
    return classed(g2.getSVGElement(idPrefix), idPrefix);
  }

  private static final Pattern STYLE = Pattern.compile(" style='([^'<>]*)'");

  /**
   * {@code svg} with each distinct {@code style} attribute written once, as a class in a {@code
   * <style>} element at its top ({@code .PREFIX-sN}), and each element naming its class: JFreeSVG
   * repeats the whole style on every mark (200 bytes a line), which made a curve of 1,000 universes
   * 1.6 MB, half of it styles. The classes carry the chart's prefix, as its ids do, so that charts
   * on one page keep their own. Left as drawn when an element already has a class.
   */
  static String classed(String svg, String prefix) {
    if (!svg.startsWith("<svg") || svg.contains(" class=")) {
      return svg;
    }
    Map<String, String> classes = new LinkedHashMap<>();
    Matcher m = STYLE.matcher(svg);
    StringBuilder body = new StringBuilder(svg.length());
    while (m.find()) {
      String name = classes.computeIfAbsent(m.group(1), s -> prefix + "-s" + classes.size());
      m.appendReplacement(body, Matcher.quoteReplacement(" class='" + name + "'"));
    }
    m.appendTail(body);
    if (classes.isEmpty()) {
      return svg;
    }
    StringBuilder css = new StringBuilder("<style>");
    classes.forEach(
        (style, name) -> css.append('.').append(name).append('{').append(style).append('}'));
    css.append("</style>");
    return body.insert(body.indexOf(">") + 1, css).toString();
  }

  static byte[] png(JFreeChart chart, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = image.createGraphics();
    try {
      chart.draw(g2, new Rectangle(0, 0, width, height));
    } finally {
      g2.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.INTERNAL, "cannot encode a PNG: " + e.getMessage());
    }
    return out.toByteArray();
  }

  static void beginGroup(Graphics2D g2, String id) {
    if (g2 instanceof SVGGraphics2D) {
      g2.setRenderingHint(SVGHints.KEY_BEGIN_GROUP, Map.of("id", id));
    }
  }

  static void endGroup(Graphics2D g2) {
    if (g2 instanceof SVGGraphics2D) {
      g2.setRenderingHint(SVGHints.KEY_END_GROUP, "");
    }
  }

  private static String twoDecimals(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(java.util.Locale.ROOT, "%.2f", v);
    return s;
  }
}
