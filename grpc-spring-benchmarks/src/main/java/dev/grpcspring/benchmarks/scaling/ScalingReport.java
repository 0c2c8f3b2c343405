package dev.grpcspring.benchmarks.scaling;

import static dev.grpcspring.benchmarks.scaling.ScalingResults.BASELINE_HEAP;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.CHANNELS;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.CONCURRENCY;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.CONNECTIONS_OPENED;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.HEAP_PER_CONNECTION;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.HEAP_PER_STREAM;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.MEMORY;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.OUTSTANDING;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.P50;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.P99;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.QPS;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.SIZE;
import static dev.grpcspring.benchmarks.scaling.ScalingResults.STREAMS_OPENED;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Draws a {@code scaling} run: SVG charts of each sweep (one line or bar per server) and {@code
 * results.md}, a Markdown page with the charts, the tables of every figure, and how the run was
 * made. Everything is drawn from {@link ScalingResults} alone, so {@code chart} redraws it from a
 * saved CSV.
 */
public final class ScalingReport {
  /** The page written beside the charts. */
  public static final String PAGE = "results.md";
  /** The data the page and charts are drawn from. */
  public static final String CSV = "results.csv";

  private final ScalingResults results;

  public ScalingReport(ScalingResults results) {
    this.results = results;
  }

  /** Writes the CSV, the charts of every sweep that has points, and the page; returns the files. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path csv = dir.resolve(CSV);
    results.writeCsv(csv);
    written.add(csv);
    StringBuilder page = new StringBuilder("# How cost grows\n\n");
    Map<String, String> meta = results.metaMap();
    for (Map.Entry<String, String> e : meta.entrySet()) {
      page.append("- ").append(e.getKey()).append(": ")
          .append(e.getKey().equals("command") ? "`" + e.getValue() + "`" : e.getValue())
          .append('\n');
    }
    page.append('\n');
    if (!results.servers(CONCURRENCY).isEmpty()) {
      page.append("## Calls in flight\n\n");
      chart(dir, written, page, "concurrency-qps.svg",
          line(CONCURRENCY, "QPS as calls in flight grow", "calls in flight", "calls/s",
              false, Units::count, Units::count, QPS, false));
      chart(dir, written, page, "concurrency-p99.svg",
          line(CONCURRENCY, "p99 latency as calls in flight grow", "calls in flight",
              "p99 latency", true, Units::count, Units::micros, P99, false));
      loadTable(page, CONCURRENCY, "calls in flight", Units::count);
    }
    if (!results.servers(SIZE).isEmpty()) {
      page.append("## Message size\n\n");
      chart(dir, written, page, "size-qps.svg",
          line(SIZE, "QPS as messages grow", "message size, each way", "calls/s", true,
              Units::bytes, Units::count, QPS, false));
      chart(dir, written, page, "size-throughput.svg",
          line(SIZE, "Payload throughput as messages grow", "message size, each way",
              "payload MiB/s each way", true, Units::bytes, Units::trim, QPS, true));
      chart(dir, written, page, "size-p99.svg",
          line(SIZE, "p99 latency as messages grow", "message size, each way", "p99 latency",
              true, Units::bytes, Units::micros, P99, false));
      loadTable(page, SIZE, "message size", Units::bytes);
    }
    if (!results.servers(MEMORY).isEmpty()) {
      page.append("## Memory\n\n");
      chart(dir, written, page, "memory-per-connection.svg",
          bars("Server heap per idle connection", "KiB of heap per connection",
              HEAP_PER_CONNECTION));
      chart(dir, written, page, "memory-per-stream.svg",
          bars("Server heap per open stream (idle)", "KiB of heap per stream",
              HEAP_PER_STREAM));
      memoryTable(page);
    }
    Path md = dir.resolve(PAGE);
    Files.writeString(md, page.toString(), StandardCharsets.UTF_8);
    written.add(md);
    return written;
  }

  private static void chart(Path dir, List<Path> written, StringBuilder page, String file,
      String svg) throws IOException {
    Path path = dir.resolve(file);
    Files.writeString(path, svg, StandardCharsets.UTF_8);
    written.add(path);
    page.append("![").append(file).append("](").append(file).append(")\n\n");
  }

  /**
   * One line per server of {@code metric} over the sweep's points; {@code asThroughput} draws it
   * times the point's message size in MiB instead (QPS into payload throughput each way).
   */
  private String line(String sweep, String title, String xLabel, String yLabel, boolean logY,
      DoubleFunction<String> xFormat, DoubleFunction<String> yFormat, String metric,
      boolean asThroughput) {
    SvgLineChart chart = new SvgLineChart(title, xLabel, yLabel, logY, xFormat, yFormat);
    List<Long> xs = results.xs(sweep);
    for (String server : results.servers(sweep)) {
      double[] x = new double[xs.size()];
      double[] y = new double[xs.size()];
      for (int i = 0; i < xs.size(); i++) {
        x[i] = xs.get(i);
        double v = results.number(sweep, server, xs.get(i), metric);
        y[i] = asThroughput ? v * xs.get(i) / (1024.0 * 1024.0) : v;
      }
      chart.series(server, x, y);
    }
    return chart.render();
  }

  /** One bar per server, in KiB so that the axis ticks fall on round numbers of the unit. */
  private String bars(String title, String yLabel, String metric) {
    SvgBarChart chart = new SvgBarChart(title, yLabel, v -> Units.trim(v));
    for (String server : results.servers(MEMORY)) {
      double value = Double.NaN;
      for (long x : results.xs(MEMORY)) {
        double v = results.number(MEMORY, server, x, metric);
        if (!Double.isNaN(v)) {
          value = v / 1024.0;
        }
      }
      chart.bar(server, value);
    }
    return chart.render();
  }

  private void loadTable(StringBuilder page, String sweep, String xName,
      DoubleFunction<String> xFormat) {
    List<String> servers = results.servers(sweep);
    page.append("| ").append(xName).append(" | connections x calls |");
    for (String server : servers) {
      page.append(' ').append(server).append(" |");
    }
    page.append("\n|---|---|").append("---|".repeat(servers.size())).append('\n');
    for (long x : results.xs(sweep)) {
      String shape = "";
      for (String server : servers) {
        double channels = results.number(sweep, server, x, CHANNELS);
        if (!Double.isNaN(channels)) {
          shape = Units.count(channels) + " x "
              + Units.count(results.number(sweep, server, x, OUTSTANDING));
          break;
        }
      }
      page.append("| ").append(xFormat.apply(x)).append(" | ").append(shape).append(" |");
      for (String server : servers) {
        String error = results.errorAt(sweep, server, x);
        double qps = results.number(sweep, server, x, QPS);
        if (error != null || Double.isNaN(qps)) {
          page.append(" failed").append(error == null ? "" : ": " + cell(error)).append(" |");
        } else {
          page.append(' ').append(Units.count(qps)).append("/s, p50 ")
              .append(Units.micros(results.number(sweep, server, x, P50))).append(", p99 ")
              .append(Units.micros(results.number(sweep, server, x, P99))).append(" |");
        }
      }
      page.append('\n');
    }
    page.append('\n');
  }

  private void memoryTable(StringBuilder page) {
    page.append("| server | idle connections | heap per idle connection | open streams |"
        + " heap per open stream | heap before | note |\n|---|---|---|---|---|---|---|\n");
    for (String server : results.servers(MEMORY)) {
      for (long x : results.xs(MEMORY)) {
        String error = results.errorAt(MEMORY, server, x);
        double perConnection = results.number(MEMORY, server, x, HEAP_PER_CONNECTION);
        if (error == null && Double.isNaN(perConnection)) {
          continue;
        }
        page.append("| ").append(server).append(" | ")
            .append(Units.count(results.number(MEMORY, server, x, CONNECTIONS_OPENED)))
            .append(" | ").append(Units.bytes(perConnection)).append(" | ")
            .append(Units.count(results.number(MEMORY, server, x, STREAMS_OPENED))).append(" | ")
            .append(Units.bytes(results.number(MEMORY, server, x, HEAP_PER_STREAM)))
            .append(" | ").append(Units.bytes(results.number(MEMORY, server, x, BASELINE_HEAP)))
            .append(" | ").append(error == null ? "" : "failed: " + cell(error)).append(" |\n");
      }
    }
    page.append('\n');
  }

  /** Text fit for one Markdown table cell. */
  private static String cell(String text) {
    String t = text.replace('|', '/').replace('\n', ' ');
    return t.length() > 160 ? t.substring(0, 160) + "..." : t;
  }
}
