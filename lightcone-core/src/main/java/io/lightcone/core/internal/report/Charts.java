package io.lightcone.core.internal.report;

import io.lightcone.LightconeException;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
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
    return g2.getSVGElement(idPrefix);
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
