package dev.grpcspring.benchmarks.scaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@code scaling} run measured, as rows of {@code sweep,server,x,metric,value}: one row per
 * figure, so the charts and the table can be drawn again from the CSV alone ({@code chart}). The
 * sweeps are {@link #CONCURRENCY} (x = calls in flight), {@link #SIZE} (x = message bytes) and
 * {@link #MEMORY} (x = idle connections opened); {@link #META} rows hold how the run was made
 * (server column = key), {@link #ERROR} rows why a point has no figures.
 */
public final class ScalingResults {
  public static final String CONCURRENCY = "concurrency";
  public static final String SIZE = "size";
  public static final String MEMORY = "memory";
  public static final String META = "meta";
  /** The metric of a row whose value says why the point failed. */
  public static final String ERROR = "error";

  public static final String QPS = "qps";
  public static final String P50 = "p50-us";
  public static final String P99 = "p99-us";
  public static final String P999 = "p999-us";
  public static final String CHANNELS = "channels";
  public static final String OUTSTANDING = "outstanding-per-channel";
  public static final String SERVER_CPU = "server-cpu-us-per-call";
  public static final String CONNECTIONS_OPENED = "connections";
  public static final String STREAMS_OPENED = "streams";
  public static final String BASELINE_HEAP = "baseline-heap-bytes";
  public static final String HEAP_PER_CONNECTION = "heap-per-connection-bytes";
  public static final String HEAP_PER_STREAM = "heap-per-stream-bytes";

  static final String HEADER = "sweep,server,x,metric,value";

  /** One figure. */
  public record Row(String sweep, String server, long x, String metric, String value) {}

  private final List<Row> rows = new ArrayList<>();

  /** Records how the run was made (date, command, load average, ...). */
  public synchronized void meta(String key, String value) {
    rows.removeIf(r -> r.sweep.equals(META) && r.server.equals(key));
    rows.add(new Row(META, key, 0, "", value));
  }

  /** A number measured at one point of a sweep. */
  public synchronized void put(String sweep, String server, long x, String metric, double value) {
    rows.add(new Row(sweep, server, x, metric, format(value)));
  }

  /** Why a point of a sweep has no figures. */
  public synchronized void error(String sweep, String server, long x, String message) {
    rows.add(new Row(sweep, server, x, ERROR, message));
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The value of a meta key, or null. */
  public synchronized String meta(String key) {
    for (Row r : rows) {
      if (r.sweep.equals(META) && r.server.equals(key)) {
        return r.value;
      }
    }
    return null;
  }

  /** A figure, or NaN when the point failed or was not measured. */
  public synchronized double number(String sweep, String server, long x, String metric) {
    for (Row r : rows) {
      if (r.sweep.equals(sweep) && r.server.equals(server) && r.x == x && r.metric.equals(metric)) {
        return Double.parseDouble(r.value);
      }
    }
    return Double.NaN;
  }

  /** Why a point failed, or null. */
  public synchronized String errorAt(String sweep, String server, long x) {
    for (Row r : rows) {
      if (r.sweep.equals(sweep) && r.server.equals(server) && r.x == x
          && r.metric.equals(ERROR)) {
        return r.value;
      }
    }
    return null;
  }

  /**
   * The servers of a sweep, in the order any sweep first recorded them (a sweep rotates which
   * server runs first at each point; the charts keep one order, so each server keeps its colour).
   */
  public synchronized List<String> servers(String sweep) {
    Set<String> inSweep = new LinkedHashSet<>();
    Set<String> all = new LinkedHashSet<>();
    for (Row r : rows) {
      if (!r.sweep.equals(META)) {
        all.add(r.server);
        if (r.sweep.equals(sweep)) {
          inSweep.add(r.server);
        }
      }
    }
    all.retainAll(inSweep);
    return new ArrayList<>(all);
  }

  /** The points (x values) of a sweep, ascending. */
  public synchronized List<Long> xs(String sweep) {
    Set<Long> xs = new TreeSet<>();
    for (Row r : rows) {
      if (r.sweep.equals(sweep)) {
        xs.add(r.x);
      }
    }
    return new ArrayList<>(xs);
  }

  /** Writes the rows as CSV (RFC 4180 quoting), header first. */
  public synchronized void writeCsv(Path file) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      sb.append(quote(r.sweep)).append(',').append(quote(r.server)).append(',').append(r.x)
          .append(',').append(quote(r.metric)).append(',').append(quote(r.value)).append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** Reads a file written by {@link #writeCsv}. */
  public static ScalingResults readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IllegalArgumentException(file + " is not a scaling results file: its first line"
          + " must be '" + HEADER + "'");
    }
    ScalingResults results = new ScalingResults();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        continue;
      }
      List<String> cells = split(lines.get(i));
      if (cells.size() != 5) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + " has " + cells.size()
            + " cells, expected 5: " + lines.get(i));
      }
      results.rows.add(new Row(cells.get(0), cells.get(1), Long.parseLong(cells.get(2)),
          cells.get(3), cells.get(4)));
    }
    return results;
  }

  /** Numbers are written plainly, so the CSV reads the same in any locale. */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String quote(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }

  private static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }

  /** Meta rows as a map, in the order they were recorded. */
  public synchronized Map<String, String> metaMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.sweep.equals(META)) {
        map.put(r.server, r.value);
      }
    }
    return map;
  }
}
