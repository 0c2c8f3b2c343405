package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runs of a comparison and the two Markdown tables made from them: every (scenario, driver,
 * server) with its medians over the rounds, and every ratio ours / peer taken inside each round
 * (same driver, same scenario), reported as the median of the rounds' ratios and their min-max.
 */
final class Comparison {
  private static final String[] RUN_HEADER = {
    "scenario", "driver", "server (executor)", "QPS", "QPS min-max", "p50 us", "p99 us",
    "p99.9 us", "mean us", "client B/call", "server B/call", "server CPU us/call",
    "server live heap MiB", "rounds ok", "failed"
  };
  private static final String[] RATIO_HEADER = {
    "scenario", "driver", "ours (executor)", "against (executor)", "QPS ratio",
    "QPS ratio min-max", "latency", "latency ratio", "latency ratio min-max",
    "server CPU/call ratio", "rounds"
  };

  private final List<RunResult> runs = new ArrayList<>();

  void add(RunResult run) {
    runs.add(run);
  }

  List<RunResult> runs() {
    return runs;
  }

  boolean allOk() {
    for (RunResult r : runs) {
      if (!r.ok()) {
        return false;
      }
    }
    return !runs.isEmpty();
  }

  /** Both tables, with a line saying how to read them. */
  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("Each run: the named driver against a fresh server JVM. Medians over the rounds;")
        .append(" h2load reports a mean latency only, AsyncClient and h2load no client")
        .append(" allocation.\n\n");
    sb.append(MarkdownTable.render(runLines()));
    List<String[]> ratios = ratioLines();
    if (ratios.size() > 1) {
      sb.append("\nRatios ours / peer, taken inside each round with the same driver and scenario,")
          .append(" then the median over the rounds and the spread (min-max). QPS ratio > 1: ours")
          .append(" answers more; latency and CPU ratio < 1: ours is faster or cheaper.\n\n");
      sb.append(MarkdownTable.render(ratios));
    }
    return sb.toString();
  }

  private List<String[]> runLines() {
    List<String[]> lines = new ArrayList<>();
    lines.add(RUN_HEADER);
    for (Map.Entry<String, List<RunResult>> group : groups().entrySet()) {
      List<RunResult> all = group.getValue();
      RunResult first = all.get(0);
      List<RunResult> ok = all.stream().filter(RunResult::ok).toList();
      long failed = all.stream().mapToLong(r -> r.failures).sum();
      String why = "";
      for (RunResult r : all) {
        if (r.error != null) {
          why = " (run failed: " + shorten(r.error) + ")";
          break;
        }
        if (r.firstFailure != null) {
          why = " (" + shorten(r.firstFailure) + ")";
          break;
        }
      }
      lines.add(new String[] {
        first.scenario.id(), first.driver.label(), first.server.label(),
        num(median(ok, r -> r.qps)), spread(ok, r -> r.qps),
        num(median(ok, r -> r.p50Micros)), num(median(ok, r -> r.p99Micros)),
        num(median(ok, r -> r.p999Micros)), num(median(ok, r -> r.meanMicros)),
        num(median(ok, r -> r.clientAllocBytesPerCall)),
        num(median(ok, r -> r.serverAllocBytesPerCall)),
        num(median(ok, r -> r.serverCpuMicrosPerCall)),
        num(median(ok, r -> r.serverLiveHeapMiB)),
        ok.size() + "/" + all.size(), failed + why
      });
    }
    return lines;
  }

  /** Runs grouped by (scenario, driver, server) in the order they first ran. */
  private Map<String, List<RunResult>> groups() {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    List<RunResult> sorted = new ArrayList<>(runs);
    // Group scenario by scenario, driver by driver, in a fixed server order (ours first).
    sorted.sort((a, b) -> {
      int c = Integer.compare(a.scenario.ordinal(), b.scenario.ordinal());
      if (c == 0) {
        c = Integer.compare(a.driver.ordinal(), b.driver.ordinal());
      }
      if (c == 0) {
        c = Integer.compare(a.server.impl().ordinal(), b.server.impl().ordinal());
      }
      if (c == 0) {
        c = Integer.compare(a.server.mode().ordinal(), b.server.mode().ordinal());
      }
      return c;
    });
    for (RunResult r : sorted) {
      groups.computeIfAbsent(
          r.scenario.id() + "|" + r.driver.flag() + "|" + r.server.label(),
          k -> new ArrayList<>()).add(r);
    }
    return groups;
  }

  private List<String[]> ratioLines() {
    List<String[]> lines = new ArrayList<>();
    lines.add(RATIO_HEADER);
    for (Scenario scenario : Scenario.values()) {
      for (Driver driver : Driver.values()) {
        List<ServerVariant> servers = serversRun(scenario, driver);
        for (ServerVariant ours : servers) {
          if (ours.impl() != Impl.OURS) {
            continue;
          }
          for (ServerVariant peer : servers) {
            if (comparable(ours, peer)) {
              lines.add(ratioLine(scenario, driver, ours, peer));
            }
          }
        }
      }
    }
    return lines;
  }

  /**
   * Ours against a peer in the same executor mode or a peer that only has its event loop, and
   * ours pooled against ours direct (what the hand-off to the executor costs).
   */
  static boolean comparable(ServerVariant ours, ServerVariant peer) {
    if (peer.impl() == Impl.OURS) {
      return ours.mode() == ExecutorMode.POOLED && peer.mode() == ExecutorMode.DIRECT;
    }
    return peer.mode() == ours.mode() || peer.mode() == ExecutorMode.EVENT_LOOP;
  }

  private List<ServerVariant> serversRun(Scenario scenario, Driver driver) {
    List<ServerVariant> servers = new ArrayList<>();
    for (List<RunResult> group : groups().values()) {
      RunResult r = group.get(0);
      if (r.scenario == scenario && r.driver == driver) {
        servers.add(r.server);
      }
    }
    return servers;
  }

  private String[] ratioLine(
      Scenario scenario, Driver driver, ServerVariant ours, ServerVariant peer) {
    List<Double> qps = new ArrayList<>();
    List<Double> latency = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    boolean percentiles = true;
    int rounds = 0;
    for (RunResult a : runs) {
      if (a.scenario != scenario || a.driver != driver || !a.server.equals(ours) || !a.ok()) {
        continue;
      }
      RunResult b = find(a.round, scenario, driver, peer);
      if (b == null || !b.ok()) {
        continue;
      }
      rounds++;
      qps.add(a.qps / b.qps);
      if (!Double.isNaN(a.p99Micros) && !Double.isNaN(b.p99Micros)) {
        latency.add(a.p99Micros / b.p99Micros);
      } else {
        percentiles = false;
        latency.add(a.meanMicros / b.meanMicros);
      }
      cpu.add(a.serverCpuMicrosPerCall / b.serverCpuMicrosPerCall);
    }
    return new String[] {
      scenario.id(), driver.label(), ours.label(), peer.label(),
      ratio(median(qps)), ratioSpread(qps), percentiles ? "p99" : "mean",
      ratio(median(latency)), ratioSpread(latency), ratio(median(cpu)), String.valueOf(rounds)
    };
  }

  private RunResult find(int round, Scenario scenario, Driver driver, ServerVariant server) {
    for (RunResult r : runs) {
      if (r.round == round && r.scenario == scenario && r.driver == driver
          && r.server.equals(server)) {
        return r;
      }
    }
    return null;
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    List<Double> values = new ArrayList<>();
    for (RunResult r : runs) {
      values.add(f.applyAsDouble(r));
    }
    return median(values);
  }

  /** The median of the values that are numbers; NaN when none is. */
  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d))
        .sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  private static String spread(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
    if (v.length < 2) {
      return "-";
    }
    return num(Arrays.stream(v).min().getAsDouble()) + "-" + num(Arrays.stream(v).max().getAsDouble());
  }

  private static String ratioSpread(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d))
        .toArray();
    if (v.length < 2) {
      return "-";
    }
    return ratio(Arrays.stream(v).min().getAsDouble()) + "-"
        + ratio(Arrays.stream(v).max().getAsDouble());
  }

  static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
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

  /** Keeps table cells readable; the full text was printed when the run ended. */
  static String shorten(String text) {
    String oneLine = String.valueOf(text).replace('|', '/').replace('\n', ' ');
    return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 97) + "...";
  }
}
