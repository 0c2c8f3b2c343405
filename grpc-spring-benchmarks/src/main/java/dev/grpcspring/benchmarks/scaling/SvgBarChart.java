package dev.grpcspring.benchmarks.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A bar chart as SVG text: one bar per category (a server), its value written above it, on a
 * linear y axis from 0. A category without a value (NaN: the measurement failed) gets a label
 * and no bar.
 */
final class SvgBarChart {
  private static final int WIDTH = 780;
  private static final int HEIGHT = 400;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 44;
  private static final int BOTTOM = 70;

  private record Bar(String label, double value) {}

  private final String title;
  private final String yLabel;
  private final DoubleFunction<String> format;
  private final List<Bar> bars = new ArrayList<>();

  SvgBarChart(String title, String yLabel, DoubleFunction<String> format) {
    this.title = title;
    this.yLabel = yLabel;
    this.format = format;
  }

  SvgBarChart bar(String label, double value) {
    bars.add(new Bar(label, value));
    return this;
  }

  String render() {
    double max = 0;
    for (Bar b : bars) {
      if (!Double.isNaN(b.value)) {
        max = Math.max(max, b.value);
      }
    }
    double top = max > 0 ? niceCeiling(max * 1.1) : 1;
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder sb = new StringBuilder();
    Svg.header(sb, WIDTH, HEIGHT, title);
    for (int i = 0; i <= 5; i++) {
      double v = top * i / 5;
      double py = TOP + plotH - plotH * i / 5;
      Svg.line(sb, LEFT, py, LEFT + plotW, py, "stroke=\"#e0e0e0\"");
      Svg.text(sb, LEFT - 6, py + 4, "end", "", format.apply(v));
    }
    double slot = plotW / Math.max(1, bars.size());
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double cx = LEFT + slot * (i + 0.5);
      if (!Double.isNaN(b.value)) {
        double h = Math.max(0, b.value) / top * plotH;
        double w = Math.min(80, slot * 0.6);
        sb.append("<rect x=\"").append(Svg.n(cx - w / 2)).append("\" y=\"")
            .append(Svg.n(TOP + plotH - h)).append("\" width=\"").append(Svg.n(w))
            .append("\" height=\"").append(Svg.n(h)).append("\" fill=\"").append(Svg.colour(i))
            .append("\"/>\n");
        Svg.text(sb, cx, TOP + plotH - h - 6, "middle", "", format.apply(b.value));
      } else {
        Svg.text(sb, cx, TOP + plotH - 6, "middle", "", "failed");
      }
      Svg.text(sb, cx, TOP + plotH + 18, "middle", "", b.label);
    }
    sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(Svg.n(plotW)).append("\" height=\"").append(Svg.n(plotH))
        .append("\" fill=\"none\" stroke=\"#444\"/>\n");
    double labelY = TOP + plotH / 2;
    Svg.text(sb, 18, labelY, "middle", "transform=\"rotate(-90 18 " + Svg.n(labelY) + ")\"",
        yLabel);
    sb.append("</svg>\n");
    return sb.toString();
  }

  /** The smallest 1, 2 or 5 times a power of ten (times 5 ticks) at or above {@code value}. */
  private static double niceCeiling(double value) {
    double raw = value / 5;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= raw) {
        return 5 * m * magnitude;
      }
    }
    return value;
  }
}
