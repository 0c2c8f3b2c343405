package dev.grpcspring.benchmarks.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleFunction;

/**
 * A line chart as SVG text: a logarithmic x axis ticked at the measured points, a linear or
 * logarithmic y axis, one line per series with a marker at each point, and a legend. A point
 * without a value (NaN: the run failed) breaks its line instead of being drawn as zero.
 */
final class SvgLineChart {
  private static final int WIDTH = 780;
  private static final int HEIGHT = 440;
  private static final int LEFT = 80;
  private static final int RIGHT = 210;
  private static final int TOP = 44;
  private static final int BOTTOM = 62;

  /** One line: a y for each x (NaN where there is none). */
  private record Series(String name, double[] xs, double[] ys) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logY;
  private final DoubleFunction<String> xFormat;
  private final DoubleFunction<String> yFormat;
  private final List<Series> series = new ArrayList<>();

  SvgLineChart(String title, String xLabel, String yLabel, boolean logY,
      DoubleFunction<String> xFormat, DoubleFunction<String> yFormat) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logY = logY;
    this.xFormat = xFormat;
    this.yFormat = yFormat;
  }

  /** Adds a line; {@code xs} must be positive (the x axis is logarithmic). */
  SvgLineChart series(String name, double[] xs, double[] ys) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(name + ": " + xs.length + " x values for " + ys.length
          + " y values");
    }
    for (double x : xs) {
      if (!(x > 0)) {
        throw new IllegalArgumentException(name + ": x must be positive on a log axis, got " + x);
      }
    }
    series.add(new Series(name, xs.clone(), ys.clone()));
    return this;
  }

  String render() {
    TreeSet<Double> xTicks = new TreeSet<>();
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs.length; i++) {
        xTicks.add(s.xs[i]);
        double y = s.ys[i];
        if (!Double.isNaN(y) && (!logY || y > 0)) {
          yMin = Math.min(yMin, y);
          yMax = Math.max(yMax, y);
        }
      }
    }
    if (xTicks.isEmpty()) {
      xTicks.add(1.0);
    }
    double x0 = Math.log10(xTicks.first());
    double x1 = Math.log10(xTicks.last());
    double pad = x1 > x0 ? (x1 - x0) * 0.05 : 0.5;
    Axis x = new Axis(x0 - pad, x1 + pad, false);
    Axis y = yAxis(yMin, yMax);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;

    StringBuilder sb = new StringBuilder();
    Svg.header(sb, WIDTH, HEIGHT, title);
    // Grid and y ticks.
    for (double tick : y.ticks) {
      double py = TOP + plotH - y.fraction(tick) * plotH;
      Svg.line(sb, LEFT, py, LEFT + plotW, py, "stroke=\"#e0e0e0\"");
      Svg.text(sb, LEFT - 6, py + 4, "end", "", yFormat.apply(tick));
    }
    for (double tick : xTicks) {
      double px = LEFT + x.fraction(Math.log10(tick)) * plotW;
      Svg.line(sb, px, TOP, px, TOP + plotH, "stroke=\"#f0f0f0\"");
      Svg.text(sb, px, TOP + plotH + 16, "middle", "", xFormat.apply(tick));
    }
    sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(Svg.n(plotW)).append("\" height=\"").append(Svg.n(plotH))
        .append("\" fill=\"none\" stroke=\"#444\"/>\n");
    Svg.text(sb, LEFT + plotW / 2, HEIGHT - 20, "middle", "", xLabel + " (log scale)");
    double labelY = TOP + plotH / 2;
    Svg.text(sb, 18, labelY, "middle",
        "transform=\"rotate(-90 18 " + Svg.n(labelY) + ")\"",
        yLabel + (logY ? " (log scale)" : ""));

    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String colour = Svg.colour(i);
      String width = i == 0 ? "3" : "2";
      StringBuilder points = new StringBuilder();
      int run = 0;
      for (int p = 0; p <= s.xs.length; p++) {
        boolean present = p < s.xs.length && !Double.isNaN(s.ys[p]) && (!logY || s.ys[p] > 0);
        if (present) {
          double px = LEFT + x.fraction(Math.log10(s.xs[p])) * plotW;
          double py = TOP + plotH - y.fraction(s.ys[p]) * plotH;
          points.append(points.length() == 0 ? "" : " ").append(Svg.n(px)).append(',')
              .append(Svg.n(py));
          run++;
          sb.append("<circle cx=\"").append(Svg.n(px)).append("\" cy=\"").append(Svg.n(py))
              .append("\" r=\"3.5\" fill=\"").append(colour).append("\"><title>")
              .append(Svg.escape(s.name + ": " + xFormat.apply(s.xs[p]) + " -> "
                  + yFormat.apply(s.ys[p])))
              .append("</title></circle>\n");
        } else {
          // A lone point between failures keeps only its marker.
          if (run > 1) {
            sb.append("<polyline fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"").append(width).append("\" points=\"")
                .append(points).append("\"/>\n");
          }
          points.setLength(0);
          run = 0;
        }
      }
      double ly = TOP + 10 + i * 20;
      double lx = LEFT + plotW + 16;
      Svg.line(sb, lx, ly, lx + 24, ly,
          "stroke=\"" + colour + "\" stroke-width=\"" + width + "\"");
      Svg.text(sb, lx + 30, ly + 4, "start", "", s.name);
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private Axis yAxis(double min, double max) {
    if (min > max) {
      // Nothing to draw: an empty axis from 0 (or 1) to 1 decade up.
      return logY ? new Axis(0, 1, true) : new Axis(0, 1, false).linearTicks(1);
    }
    if (logY) {
      double lo = Math.floor(Math.log10(min));
      double hi = Math.ceil(Math.log10(max));
      if (hi <= lo) {
        hi = lo + 1;
      }
      return new Axis(lo, hi, true);
    }
    return new Axis(0, max * 1.08, false).linearTicks(max * 1.08);
  }

  /** A mapping of values onto [0, 1] of the plot, with its ticks. */
  private static final class Axis {
    private final double lo;
    private double hi;
    private final boolean log;
    final List<Double> ticks = new ArrayList<>();

    Axis(double lo, double hi, boolean log) {
      this.lo = lo;
      this.hi = hi;
      this.log = log;
      if (log) {
        for (double d = lo; d <= hi + 1e-9; d++) {
          ticks.add(Math.pow(10, d));
        }
      }
    }

    /** Ticks at 1, 2 or 5 times a power of ten, from 0 past {@code max}. */
    Axis linearTicks(double max) {
      double raw = max / 5;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = magnitude;
      for (double m : new double[] {1, 2, 5, 10}) {
        if (m * magnitude >= raw) {
          step = m * magnitude;
          break;
        }
      }
      hi = Math.ceil(max / step) * step;
      for (double t = 0; t <= hi + step / 2; t += step) {
        ticks.add(t);
      }
      return this;
    }

    /** Where a value falls (for a log axis, {@code value} is the value itself, not its log). */
    double fraction(double value) {
      double v = log ? Math.log10(value) : value;
      return (v - lo) / (hi - lo);
    }
  }
}
