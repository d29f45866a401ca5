package io.lightcone.core.internal.report;

import io.lightcone.Manifest;
import io.lightcone.TaskId;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The last run as bars of tasks on slots over time, from the manifests' {@code started_at} and
 * {@code finished_at}. Manifests name no run, so the last run is the last stretch of tasks with no
 * idle gap over {@link #GAP} seconds; a slot is a lane no two overlapping tasks share (the fewest
 * lanes, filled first-free), which is how many ran at once, not which worker ran them.
 */
final class Timeline {
  static final double GAP = 60;

  /** Above this many tasks, bars closer than 1/1000 of the run on one slot are drawn as one. */
  private static final int MERGE_ABOVE = 2000;

  private static final int WIDTH = 960;

  record Bar(TaskId task, double start, double end, boolean restored) {}

  private final List<Bar> bars;
  private final int slots;
  private final int[] lane;
  private final double t0;
  private final double t1;

  private Timeline(List<Bar> bars) {
    this.bars = bars;
    this.lane = new int[bars.size()];
    List<Double> freeAt = new ArrayList<>();
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int l = 0;
      while (l < freeAt.size() && freeAt.get(l) > b.start()) {
        l++;
      }
      if (l == freeAt.size()) {
        freeAt.add(b.end());
      } else {
        freeAt.set(l, b.end());
      }
      lane[i] = l;
    }
    this.slots = freeAt.size();
    this.t0 = bars.get(0).start();
    this.t1 = bars.stream().mapToDouble(Bar::end).max().orElse(t0);
  }

  static Optional<Timeline> lastRun(Map<TaskId, Manifest> manifests) {
    List<Bar> all = new ArrayList<>();
    manifests.forEach(
        (id, m) -> {
          if (m.startedAt().isPresent()) {
            double start = m.startedAt().getAsDouble();
            all.add(
                new Bar(
                    id,
                    start,
                    Math.max(start, m.finishedAt()),
                    m.restoredFromCache().orElse(false)));
          }
        });
    if (all.isEmpty()) {
      return Optional.empty();
    }
    all.sort(Comparator.comparingDouble(Bar::start).thenComparing(Bar::task));
    int from = 0;
    double end = all.get(0).end();
    for (int i = 1; i < all.size(); i++) {
      if (all.get(i).start() > end + GAP) {
        from = i;
      }
      end = Math.max(end, all.get(i).end());
    }
    return Optional.of(new Timeline(List.copyOf(all.subList(from, all.size()))));
  }

  String caption() {
    long restored = bars.stream().filter(Bar::restored).count();
    return String.format(
        Locale.ROOT,
        "%d tasks (%d restored from the cache) on %d slots over %.1f s, from %s.",
        bars.size(),
        restored,
        slots,
        t1 - t0,
        java.time.Instant.ofEpochMilli(Math.round(t0 * 1000))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  String svg(String idPrefix) {
    return Charts.svg(chart(), WIDTH, height(), idPrefix);
  }

  int height() {
    return 120 + Math.min(40, slots) * 18;
  }

  private JFreeChart chart() {
    XYIntervalSeries ran = new XYIntervalSeries("ran");
    XYIntervalSeries restored = new XYIntervalSeries("restored from the cache");
    double merge = bars.size() > MERGE_ABOVE ? (t1 - t0) / 1000 : -1;
    // Per lane and kind, the bar being extended while the next starts within `merge` of its end.
    double[][] open = new double[slots * 2][];
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int k = lane[i] * 2 + (b.restored() ? 1 : 0);
      double s = b.start() - t0;
      double e = b.end() - t0;
      if (open[k] != null && s - open[k][1] <= merge) {
        open[k][1] = Math.max(open[k][1], e);
        continue;
      }
      if (open[k] != null) {
        add(b.restored() ? restored : ran, lane[i], open[k]);
      }
      open[k] = new double[] {s, e};
    }
    for (int k = 0; k < open.length; k++) {
      if (open[k] != null) {
        add(k % 2 == 1 ? restored : ran, k / 2, open[k]);
      }
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(ran);
    data.addSeries(restored);
    XYBarRenderer renderer = new XYBarRenderer();
    renderer.setUseYInterval(true);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setSeriesPaint(0, new Color(0x1f, 0x4e, 0x79));
    renderer.setSeriesPaint(1, new Color(0x9e, 0xbc, 0xda));
    NumberAxis time = new NumberAxis("seconds since the run started");
    NumberAxis slot = new NumberAxis("slot");
    slot.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    slot.setRange(-0.6, slots - 0.4);
    slot.setInverted(true);
    XYPlot plot = new XYPlot(data, time, slot, renderer);
    JFreeChart chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
    LegendTitle legend = chart.getLegend();
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static void add(XYIntervalSeries series, int lane, double[] span) {
    series.add((span[0] + span[1]) / 2, span[0], span[1], lane, lane - 0.4, lane + 0.4);
  }
}
