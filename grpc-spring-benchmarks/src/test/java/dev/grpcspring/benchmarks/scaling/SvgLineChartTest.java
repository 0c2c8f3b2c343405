package dev.grpcspring.benchmarks.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgLineChartTest {
  private static final Pattern CIRCLE =
      Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");

  @Test
  void pointsFallEvenlyOnALogXAxisAndLinearYAxis() {
    String svg = new SvgLineChart("t", "calls", "QPS", false, Units::count, Units::count)
        .series("ours", new double[] {1, 10, 100}, new double[] {100, 200, 400})
        .render();

    List<double[]> points = circles(svg);
    assertThat(points).hasSize(3);
    // Each decade is the same width on the x axis.
    assertThat(points.get(1)[0] - points.get(0)[0])
        .isCloseTo(points.get(2)[0] - points.get(1)[0], org.assertj.core.data.Offset.offset(0.2));
    // y from 0 up: 200 is twice as far above the axis as 100 (SVG y grows downwards).
    double axis = 44 + (440 - 44 - 62);
    assertThat(axis - points.get(1)[1])
        .isCloseTo(2 * (axis - points.get(0)[1]), org.assertj.core.data.Offset.offset(0.3));
    assertThat(svg).contains(">100</text>").contains(">10</text>").contains("(log scale)");
  }

  @Test
  void aFailedPointBreaksTheLineAndNamesAreEscaped() {
    String svg = new SvgLineChart("a <chart>", "bytes", "p99", true, Units::bytes, Units::micros)
        .series("ours & co", new double[] {10, 100, 1000, 1024, 4096, 8192},
            new double[] {50, 70, Double.NaN, 900, 2000, Double.NaN})
        .render();

    assertThat(circles(svg)).hasSize(4);
    assertThat(svg.split("<polyline ", -1)).hasSize(3); // two pieces of line
    assertThat(svg).contains("a &lt;chart&gt;").contains(">ours &amp; co</text>")
        .contains(">10 µs</text>").contains(">10 ms</text>").contains(">1000 B</text>").contains(">1 KiB</text>");
  }

  @Test
  void aLogAxisRefusesZero() {
    assertThatThrownBy(() -> new SvgLineChart("t", "x", "y", false, Units::count, Units::count)
            .series("s", new double[] {0, 1}, new double[] {1, 2}))
        .hasMessageContaining("positive");
  }

  private static List<double[]> circles(String svg) {
    List<double[]> points = new ArrayList<>();
    Matcher m = CIRCLE.matcher(svg);
    while (m.find()) {
      points.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
    }
    return points;
  }
}
