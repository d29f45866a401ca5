package io.lightcone.core;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.report.CurveChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A specification curve (Simonsohn, Simmons and Nelson 2020): every universe's value of one field,
 * ranked from the lowest to the highest, with its interval where one is given; under it the
 * indicator panel, one row per option of each decision, marked where the universe of that rank
 * chose the option. Above {@link #DENSITY_ABOVE} universes the points become a line and the marks
 * become a density (the share of the universes of each rank bin that chose the option).
 *
 * <pre>{@code
 * SpecificationCurve curve = SpecificationCurve.of("distance_modulus", List.of(
 *     SpecificationCurve.Point.of("baseline", Map.of("fit", "ols"), 18.4)));
 * curve.writeSvg(Path.of("curve.svg"));
 * }</pre>
 */
public final class SpecificationCurve {
  /** Above this many universes the curve is drawn as a line and the indicator panel as density. */
  public static final int DENSITY_ABOVE = 1000;

  /**
   * One universe on the curve.
   *
   * @param universe the universe's label (its id or readable name)
   * @param choices decision → chosen option, in the order the decisions are shown
   * @param value the field's value
   * @param low the interval's lower end, or empty
   * @param high the interval's upper end, or empty
   */
  public record Point(
      String universe,
      Map<String, String> choices,
      double value,
      OptionalDouble low,
      OptionalDouble high) {
    public Point {
      Objects.requireNonNull(universe, "universe");
      choices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(choices));
      Objects.requireNonNull(low, "low");
      Objects.requireNonNull(high, "high");
    }

    /** A point without an interval. */
    public static Point of(String universe, Map<String, String> choices, double value) {
      return new Point(universe, choices, value, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** The same point with the interval {@code [low, high]}. */
    public Point withInterval(double low, double high) {
      return new Point(universe, choices, value, OptionalDouble.of(low), OptionalDouble.of(high));
    }
  }

  private final String field;
  private final Map<String, List<String>> options;
  private final List<Point> ranked;

  private SpecificationCurve(String field, Map<String, List<String>> options, List<Point> ranked) {
    this.field = field;
    this.options = options;
    this.ranked = ranked;
  }

  /**
   * The curve of {@code field} over the rows {@code results} shows (the fresh and verified ones,
   * and with {@code includeStale} the others too): one point per universe with a number there, and
   * the interval {@code --interval} read where {@code field} is the first field.
   *
   * <pre>{@code
   * Results r = project.results("distance", "distance_modulus");
   * SpecificationCurve.of(r, "distance.distance_modulus").writeSvg(Path.of("curve.svg"));
   * }</pre>
   *
   * @throws LightconeException of kind USER_INPUT when {@code field} is not one of the results'
   *     fields, or no universe has a number there
   */
  public static SpecificationCurve of(io.lightcone.Results results, String field) {
    if (!results.fields().contains(field)) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "'"
              + field
              + "' is not a field of these results ("
              + String.join(", ", results.fields())
              + ")");
    }
    boolean first = results.fields().get(0).equals(field);
    List<Point> points = new java.util.ArrayList<>();
    for (io.lightcone.ResultRow row : results.table()) {
      java.util.OptionalDouble v = row.value(field);
      if (v.isEmpty()) {
        continue;
      }
      Map<String, String> choices = new LinkedHashMap<>();
      row.choices().forEach((d, o) -> choices.put(d.toString(), o.value()));
      Point p = Point.of(row.universe().value(), choices, v.getAsDouble());
      if (first && row.interval().isPresent()) {
        p = p.withInterval(row.interval().get().low(), row.interval().get().high());
      }
      points.add(p);
    }
    return of(field, points);
  }

  /** The curve of {@code points}; decisions and options in the order the points first name them. */
  public static SpecificationCurve of(String field, List<Point> points) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (Point p : points) {
      p.choices()
          .forEach(
              (d, o) -> {
                List<String> known = options.computeIfAbsent(d, k -> new ArrayList<>());
                if (!known.contains(o)) {
                  known.add(o);
                }
              });
    }
    return of(field, options, points);
  }

  /**
   * The curve of {@code points}, with the indicator panel's rows in the order of {@code options}
   * (decision → its options); options no point chose keep an empty row.
   *
   * @throws LightconeException of kind USER_INPUT for no points, a value that is not finite, or a
   *     choice that {@code options} does not list
   */
  public static SpecificationCurve of(
      String field, Map<String, List<String>> options, List<Point> points) {
    Objects.requireNonNull(field, "field");
    if (points.isEmpty()) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "no universe has a value of '" + field + "' to draw a specification curve of");
    }
    Map<String, List<String>> rows = new LinkedHashMap<>();
    options.forEach((d, o) -> rows.put(d, List.copyOf(o)));
    for (Point p : points) {
      if (!Double.isFinite(p.value())) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "'"
                + field
                + "' of universe '"
                + p.universe()
                + "' is not a finite number: "
                + p.value());
      }
      p.choices()
          .forEach(
              (d, o) -> {
                if (!rows.getOrDefault(d, List.of()).contains(o)) {
                  throw new LightconeException(
                      LightconeException.Kind.USER_INPUT,
                      "universe '"
                          + p.universe()
                          + "' chose option '"
                          + o
                          + "' of decision '"
                          + d
                          + "', which the curve's options do not list ("
                          + rows.getOrDefault(d, List.of())
                          + ")");
                }
              });
    }
    List<Point> ranked = new ArrayList<>(points);
    ranked.sort(Comparator.comparingDouble(Point::value).thenComparing(Point::universe));
    return new SpecificationCurve(
        field, java.util.Collections.unmodifiableMap(rows), List.copyOf(ranked));
  }

  /** The field the values are of. */
  public String field() {
    return field;
  }

  /** The points from the lowest value to the highest (ties by universe label). */
  public List<Point> ranked() {
    return ranked;
  }

  /** Decision → its options, the rows of the indicator panel from the top. */
  public Map<String, List<String>> options() {
    return options;
  }

  /** Whether it is drawn in the density form (more than {@link #DENSITY_ABOVE} universes). */
  public boolean dense() {
    return ranked.size() > DENSITY_ABOVE;
  }

  /**
   * The curve as a standalone SVG element; {@code idPrefix} starts every {@code id} in it, so that
   * several curves can share one HTML page. Its groups {@code <idPrefix>-points}, {@code
   * <idPrefix>-intervals} and {@code <idPrefix>-marks} hold the points, the interval bars and the
   * indicator marks (in the density form: {@code <idPrefix>-line}, {@code <idPrefix>-band} and
   * {@code <idPrefix>-density}).
   */
  public String toSvg(String idPrefix) {
    return CurveChart.svg(this.field, options, ranked, dense(), idPrefix);
  }

  /** {@link #toSvg(String)} with the prefix {@code curve}, into {@code file}. */
  public void writeSvg(Path file) {
    write(file, toSvg("curve").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The curve as a PNG image ({@link #width()} × {@link #height()} pixels) into {@code file}. */
  public void writePng(Path file) {
    write(file, CurveChart.png(field, options, ranked, dense()));
  }

  /** The width of the drawing, in pixels. */
  public int width() {
    return CurveChart.WIDTH;
  }

  /** The height of the drawing, in pixels: it grows with the number of option rows. */
  public int height() {
    return CurveChart.height(options);
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot write " + file + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "SpecificationCurve of "
        + field
        + ": "
        + ranked.size()
        + " universes, "
        + ranked.get(0).value()
        + " … "
        + ranked.get(ranked.size() - 1).value();
  }
}
