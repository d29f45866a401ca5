package io.lightcone.core.internal.report;

import io.lightcone.core.SpecificationCurve.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws a {@link io.lightcone.core.SpecificationCurve} with JFreeChart: a {@link
 * CombinedDomainXYPlot} whose domain is the rank, the values on top and the indicator panel below.
 */
public final class CurveChart {
  public static final int WIDTH = 960;
  private static final int TOP_HEIGHT = 300;
  private static final int ROW_HEIGHT = 16;
  private static final int MARGIN = 110;

  /** Above this many universes the domain axis shows ranks, not each universe's label. */
  private static final int LABELS_UP_TO = 30;

  /** Rank bins of the density form. */
  private static final int BINS = 200;

  private static final Color POINT = new Color(0x1f, 0x4e, 0x79);
  private static final Color INTERVAL = new Color(0x1f, 0x4e, 0x79, 0x70);
  private static final Color[] DECISIONS = {
    new Color(0x1b, 0x9e, 0x77),
    new Color(0xd9, 0x5f, 0x02),
    new Color(0x75, 0x70, 0xb3),
    new Color(0xe7, 0x29, 0x8a),
    new Color(0x66, 0xa6, 0x1e),
    new Color(0xa6, 0x76, 0x1d),
    new Color(0x66, 0x66, 0x66),
  };

  private CurveChart() {}

  public static int height(Map<String, List<String>> options) {
    int rows = options.values().stream().mapToInt(List::size).sum();
    return TOP_HEIGHT + Math.max(2, rows) * ROW_HEIGHT + MARGIN;
  }

  public static String svg(
      String field,
      Map<String, List<String>> options,
      List<Point> ranked,
      boolean dense,
      String idPrefix) {
    JFreeChart chart = chart(field, options, ranked, dense, idPrefix);
    return Charts.svg(chart, WIDTH, height(options), idPrefix);
  }

  public static byte[] png(
      String field, Map<String, List<String>> options, List<Point> ranked, boolean dense) {
    return Charts.png(chart(field, options, ranked, dense, "curve"), WIDTH, height(options));
  }

  static JFreeChart chart(
      String field,
      Map<String, List<String>> options,
      List<Point> ranked,
      boolean dense,
      String idPrefix) {
    int n = ranked.size();
    ValueAxis rank;
    if (n <= LABELS_UP_TO) {
      SymbolAxis labels =
          new SymbolAxis(
              "universes, ranked by " + field,
              ranked.stream().map(Point::universe).toArray(String[]::new));
      labels.setVerticalTickLabels(true);
      labels.setGridBandsVisible(false);
      rank = labels;
    } else {
      NumberAxis ranks =
          new NumberAxis(
              n + " universes, ranked by " + field + (dense ? " (marks: share per rank bin)" : ""));
      ranks.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      rank = ranks;
    }
    // Ranks are 0-based on the axis so that a SymbolAxis names them.
    rank.setRange(-0.5, n - 0.5);

    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(rank);
    plot.setGap(6);
    plot.add(values(field, ranked, dense, idPrefix), 3);
    int rows = options.values().stream().mapToInt(List::size).sum();
    plot.add(
        dense ? density(options, ranked, idPrefix) : marks(options, ranked, idPrefix),
        Math.max(1, rows * ROW_HEIGHT * 3 / TOP_HEIGHT));
    // The field is named in a title, not on the range axis: JFreeSVG writes rotated text as glyph
    // outlines, which neither a search nor a screen reader can read.
    JFreeChart chart =
        new JFreeChart(
            field + " in " + n + (n == 1 ? " universe" : " universes") + ", lowest to highest",
            new Font(Font.SANS_SERIF, Font.BOLD, 13),
            plot,
            false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static XYPlot values(String field, List<Point> ranked, boolean dense, String idPrefix) {
    YIntervalSeries value = new YIntervalSeries(field);
    YIntervalSeries interval = new YIntervalSeries(field + " interval");
    for (int i = 0; i < ranked.size(); i++) {
      Point p = ranked.get(i);
      value.add(i, p.value(), p.value(), p.value());
      if (p.low().isPresent() || p.high().isPresent()) {
        interval.add(i, p.value(), p.low().orElse(p.value()), p.high().orElse(p.value()));
      }
    }
    NumberAxis axis = new NumberAxis(null);
    axis.setAutoRangeIncludesZero(false);
    GroupedPlot top = new GroupedPlot(idPrefix);
    top.setRangeAxis(axis);
    top.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    if (dense) {
      DeviationRenderer band = new DeviationRenderer(false, false);
      band.setSeriesFillPaint(0, INTERVAL);
      band.setAlpha(0.35f);
      top.setDataset(0, collection(interval));
      top.setRenderer(0, band);
      top.name(0, "band");
      XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
      line.setDrawSeriesLineAsPath(true);
      line.setSeriesPaint(0, POINT);
      line.setSeriesStroke(0, new BasicStroke(1.5f));
      top.setDataset(1, collection(value));
      top.setRenderer(1, line);
      top.name(1, "line");
    } else {
      XYErrorRenderer bars = new XYErrorRenderer();
      bars.setDrawXError(false);
      bars.setDefaultLinesVisible(false);
      bars.setDefaultShapesVisible(false);
      bars.setErrorPaint(INTERVAL);
      bars.setCapLength(ranked.size() > 100 ? 0 : 4);
      top.setDataset(0, collection(interval));
      top.setRenderer(0, bars);
      top.name(0, "intervals");
      XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
      double d = ranked.size() > 200 ? 3 : 6;
      points.setSeriesShape(0, new Ellipse2D.Double(-d / 2, -d / 2, d, d));
      points.setSeriesPaint(0, POINT);
      points.setDrawOutlines(false);
      top.setDataset(1, collection(value));
      top.setRenderer(1, points);
      top.name(1, "points");
    }
    double lo = ranked.get(0).value();
    double hi = ranked.get(ranked.size() - 1).value();
    if (hi - lo <= 1e-9 * Math.max(1, Math.abs(lo))) {
      // One value for all: a range around it, not ticks 1e-8 apart that all print the same.
      double pad = Math.max(1e-9, Math.abs(lo) * 0.05);
      axis.setRange(lo - (lo == 0 ? 1 : pad), hi + (lo == 0 ? 1 : pad));
    }
    if (lo < 0 && hi > 0) {
      ValueMarker zero = new ValueMarker(0, Color.GRAY, new BasicStroke(0.8f));
      top.addRangeMarker(zero);
    }
    return top;
  }

  private static YIntervalSeriesCollection collection(YIntervalSeries series) {
    YIntervalSeriesCollection c = new YIntervalSeriesCollection();
    c.addSeries(series);
    return c;
  }

  /** Row labels from the top; row {@code r} sits at y = rows - 1 - r. */
  private static List<String> rowLabels(Map<String, List<String>> options) {
    List<String> labels = new ArrayList<>();
    options.forEach((d, os) -> os.forEach(o -> labels.add(d + " = " + o)));
    return labels;
  }

  private static XYPlot indicatorPlot(Map<String, List<String>> options, String idPrefix) {
    List<String> labels = rowLabels(options);
    String[] bottomUp = new String[labels.size()];
    for (int r = 0; r < labels.size(); r++) {
      bottomUp[labels.size() - 1 - r] = labels.get(r);
    }
    SymbolAxis axis = new SymbolAxis(null, bottomUp);
    axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    axis.setGridBandPaint(new Color(0xf2, 0xf2, 0xf2));
    axis.setGridBandAlternatePaint(Color.WHITE);
    axis.setRange(-0.5, Math.max(1, labels.size()) - 0.5);
    GroupedPlot plot = new GroupedPlot(idPrefix);
    plot.setRangeAxis(axis);
    plot.setRangeGridlinesVisible(false);
    return plot;
  }

  private static XYPlot marks(
      Map<String, List<String>> options, List<Point> ranked, String idPrefix) {
    XYPlot plot = indicatorPlot(options, idPrefix);
    int rows = options.values().stream().mapToInt(List::size).sum();
    XYSeriesCollection marks = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    renderer.setDrawOutlines(false);
    double w = Math.max(0.6, Math.min(5, (WIDTH - 200.0) / ranked.size() * 0.7));
    Shape mark = new Rectangle2D.Double(-w / 2, -ROW_HEIGHT * 0.35, w, ROW_HEIGHT * 0.7);
    int row = 0;
    int series = 0;
    for (Map.Entry<String, List<String>> d : options.entrySet()) {
      XYSeries s = new XYSeries(d.getKey(), false, true);
      for (int i = 0; i < ranked.size(); i++) {
        String chosen = ranked.get(i).choices().get(d.getKey());
        int at = chosen == null ? -1 : d.getValue().indexOf(chosen);
        if (at >= 0) {
          s.add(i, rows - 1 - (row + at));
        }
      }
      marks.addSeries(s);
      renderer.setSeriesShape(series, mark);
      renderer.setSeriesPaint(series, DECISIONS[series % DECISIONS.length]);
      row += d.getValue().size();
      series++;
    }
    plot.setDataset(marks);
    plot.setRenderer(renderer);
    ((GroupedPlot) plot).name(0, "marks");
    return plot;
  }

  private static XYPlot density(
      Map<String, List<String>> options, List<Point> ranked, String idPrefix) {
    XYPlot plot = indicatorPlot(options, idPrefix);
    int n = ranked.size();
    int bins = Math.min(BINS, n);
    double binWidth = (double) n / bins;
    int rows = options.values().stream().mapToInt(List::size).sum();
    int[][] counts = new int[rows][bins];
    int[] sizes = new int[bins];
    for (int i = 0; i < n; i++) {
      int b = Math.min(bins - 1, (int) (i / binWidth));
      sizes[b]++;
      int row = 0;
      for (Map.Entry<String, List<String>> d : options.entrySet()) {
        String chosen = ranked.get(i).choices().get(d.getKey());
        int at = chosen == null ? -1 : d.getValue().indexOf(chosen);
        if (at >= 0) {
          counts[row + at][b]++;
        }
        row += d.getValue().size();
      }
    }
    List<double[]> cells = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      for (int b = 0; b < bins; b++) {
        if (counts[r][b] > 0) {
          double x = (b + 0.5) * binWidth - 0.5;
          cells.add(new double[] {x, rows - 1 - r, (double) counts[r][b] / sizes[b]});
        }
      }
    }
    double[][] xyz = new double[3][cells.size()];
    for (int c = 0; c < cells.size(); c++) {
      for (int k = 0; k < 3; k++) {
        xyz[k][c] = cells.get(c)[k];
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("share", xyz);
    XYBlockRenderer renderer = new FillOnlyBlocks();
    renderer.setBlockWidth(binWidth);
    renderer.setBlockHeight(0.7);
    renderer.setPaintScale(new Share());
    plot.setDataset(data);
    plot.setRenderer(renderer);
    ((GroupedPlot) plot).name(0, "density");
    return plot;
  }

  /**
   * Blocks filled without the outline {@link XYBlockRenderer} adds: in SVG that outline is a second
   * element per cell, which doubles the file for nothing one can see.
   */
  private static final class FillOnlyBlocks extends XYBlockRenderer {
    private static final long serialVersionUID = 1L;

    @Override
    public void drawItem(
        Graphics2D g2,
        org.jfree.chart.renderer.xy.XYItemRendererState state,
        Rectangle2D dataArea,
        org.jfree.chart.plot.PlotRenderingInfo info,
        XYPlot plot,
        ValueAxis domainAxis,
        ValueAxis rangeAxis,
        org.jfree.data.xy.XYDataset dataset,
        int series,
        int item,
        org.jfree.chart.plot.CrosshairState crosshairState,
        int pass) {
      double x = dataset.getXValue(series, item);
      double y = dataset.getYValue(series, item);
      double z = ((org.jfree.data.xy.XYZDataset) dataset).getZValue(series, item);
      double x0 =
          domainAxis.valueToJava2D(x - getBlockWidth() / 2, dataArea, plot.getDomainAxisEdge());
      double x1 =
          domainAxis.valueToJava2D(x + getBlockWidth() / 2, dataArea, plot.getDomainAxisEdge());
      double y0 =
          rangeAxis.valueToJava2D(y - getBlockHeight() / 2, dataArea, plot.getRangeAxisEdge());
      double y1 =
          rangeAxis.valueToJava2D(y + getBlockHeight() / 2, dataArea, plot.getRangeAxisEdge());
      g2.setPaint(getPaintScale().getPaint(z));
      g2.fill(
          new Rectangle2D.Double(
              Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0)));
    }
  }

  /** 0 → white, 1 → the points' colour. */
  private static final class Share implements PaintScale {
    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      double v = Math.max(0, Math.min(1, value));
      return new Color(
          (int) Math.round(255 + (POINT.getRed() - 255) * v),
          (int) Math.round(255 + (POINT.getGreen() - 255) * v),
          (int) Math.round(255 + (POINT.getBlue() - 255) * v));
    }
  }

  /** Puts what each dataset draws into an SVG group {@code <prefix>-<name>}. */
  static final class GroupedPlot extends XYPlot {
    private static final long serialVersionUID = 1L;
    private final String prefix;
    private final Map<Integer, String> names = new java.util.HashMap<>();

    GroupedPlot(String prefix) {
      this.prefix = prefix;
    }

    void name(int dataset, String name) {
      names.put(dataset, name);
    }

    @Override
    public boolean render(
        Graphics2D g2,
        Rectangle2D dataArea,
        int index,
        org.jfree.chart.plot.PlotRenderingInfo info,
        org.jfree.chart.plot.CrosshairState crosshairState) {
      String name = names.get(index);
      if (name == null) {
        return super.render(g2, dataArea, index, info, crosshairState);
      }
      Charts.beginGroup(g2, prefix + "-" + name);
      try {
        return super.render(g2, dataArea, index, info, crosshairState);
      } finally {
        Charts.endGroup(g2);
      }
    }
  }
}
