package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.client.ClientResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as one Markdown table: a row per client/server pairing, and per scenario a ratio
 * row dividing ours-against-ours by grpc-java-against-grpc-java in every column.
 */
final class ResultTable {
  private static final String[] HEADER = {
    "scenario", "client -> server", "QPS", "p50 us", "p99 us", "p99.9 us", "client B/call",
    "server B/call", "server CPU us/call", "server live heap MiB", "failed"
  };

  private final List<PairResult> rows = new ArrayList<>();

  void add(PairResult row) {
    rows.add(row);
  }

  List<PairResult> rows() {
    return rows;
  }

  String render() {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    Scenario current = null;
    for (int i = 0; i < rows.size(); i++) {
      PairResult row = rows.get(i);
      lines.add(cells(row));
      current = row.scenario;
      boolean lastOfScenario = i == rows.size() - 1 || rows.get(i + 1).scenario != current;
      if (lastOfScenario) {
        String[] ratio = ratioRow(current);
        if (ratio != null) {
          lines.add(ratio);
        }
      }
    }
    return MarkdownTable.render(lines);
  }

  private static String[] cells(PairResult r) {
    if (r.result == null) {
      return new String[] {
        r.scenario.id(), r.pairName(), "-", "-", "-", "-", "-", "-", "-", "-",
        "run failed: " + shorten(r.error)
      };
    }
    ClientResult c = r.result;
    return new String[] {
      r.scenario.id(), r.pairName(), num(c.qps()), num(c.p50Micros), num(c.p99Micros),
      num(c.p999Micros), num(c.clientAllocBytesPerCall), num(r.serverAllocBytesPerCall),
      num(r.serverCpuMicrosPerCall), num(r.serverLiveHeapMiB),
      c.failures == 0 ? "0" : c.failures + " (" + shorten(c.firstFailure) + ")"
    };
  }

  /** Keeps table cells readable; the full text was printed when the run ended. */
  static String shorten(String text) {
    String oneLine = String.valueOf(text).replace('|', '/');
    return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 97) + "...";
  }

  /** ours->ours divided by grpc-java->grpc-java, or null when either is missing. */
  private String[] ratioRow(Scenario scenario) {
    PairResult ours = find(scenario, Impl.OURS);
    PairResult theirs = find(scenario, Impl.GRPC_JAVA);
    if (ours == null || theirs == null || ours.result == null || theirs.result == null) {
      return null;
    }
    return new String[] {
      scenario.id(), "**ratio ours / grpc-java**",
      ratio(ours, theirs, r -> r.result.qps()),
      ratio(ours, theirs, r -> r.result.p50Micros),
      ratio(ours, theirs, r -> r.result.p99Micros),
      ratio(ours, theirs, r -> r.result.p999Micros),
      ratio(ours, theirs, r -> r.result.clientAllocBytesPerCall),
      ratio(ours, theirs, r -> r.serverAllocBytesPerCall),
      ratio(ours, theirs, r -> r.serverCpuMicrosPerCall),
      ratio(ours, theirs, r -> r.serverLiveHeapMiB),
      ""
    };
  }

  private PairResult find(Scenario scenario, Impl both) {
    for (PairResult r : rows) {
      if (r.scenario == scenario && r.client == both && r.server == both) {
        return r;
      }
    }
    return null;
  }

  private static String ratio(PairResult ours, PairResult theirs, ToDoubleFunction<PairResult> f) {
    double a = f.applyAsDouble(ours);
    double b = f.applyAsDouble(theirs);
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2f", a / b);
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
