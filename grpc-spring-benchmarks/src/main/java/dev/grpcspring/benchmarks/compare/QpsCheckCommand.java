package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.BenchmarkMain;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.server.ServerCommand;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code qps-check --scenario=NAME|all [--warmup=15s] [--duration=20s]}: grpc-java's own qps
 * client ({@code io.grpc.benchmarks.qps.AsyncClient}, unchanged) drives our server and grpc-java's
 * server in turn, in separate JVMs, and the QPS and latency it reports are compared.
 */
public final class QpsCheckCommand {
  private static final String ASYNC_CLIENT = "io.grpc.benchmarks.qps.AsyncClient";

  private QpsCheckCommand() {}

  /** Runs the command; returns the exit code (non-zero when a run failed). */
  public static int run(Options options, PrintStream out) throws Exception {
    List<Scenario> scenarios = Scenario.parseList(options.required("scenario"));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(15));
    Duration duration = options.duration("duration", Duration.ofSeconds(20));
    String jvm = options.string("jvm-args", CompareCommand.DEFAULT_JVM_ARGS).trim();
    options.checkAllUsed();
    List<String> jvmArgs = jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+"));

    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"scenario", "AsyncClient -> server", "QPS", "p50 us", "p99 us",
        "p99.9 us", "error"});
    boolean clean = true;
    for (int s = 0; s < scenarios.size(); s++) {
      Scenario scenario = scenarios.get(s);
      Impl first = s % 2 == 0 ? Impl.OURS : Impl.GRPC_JAVA;
      Impl second = first == Impl.OURS ? Impl.GRPC_JAVA : Impl.OURS;
      Map<Impl, Map<String, Double>> byServer = new LinkedHashMap<>();
      for (Impl server : List.of(first, second)) {
        Map<String, Double> numbers;
        String error = "";
        try {
          numbers = runOnce(scenario, server, warmup, duration, jvmArgs);
          byServer.put(server, numbers);
        } catch (Exception e) {
          numbers = Map.of();
          error = ResultTable.shorten(e.getMessage() != null ? e.getMessage() : e.toString());
          clean = false;
        }
        String[] row = {scenario.id(), "grpc-java AsyncClient -> " + server.flag(),
            cell(numbers, "QPS"), cell(numbers, "50"), cell(numbers, "99"), cell(numbers, "99.9"),
            error};
        out.println("  " + String.join(" ", row));
        out.flush();
        lines.add(row);
      }
      Map<String, Double> ours = byServer.get(Impl.OURS);
      Map<String, Double> theirs = byServer.get(Impl.GRPC_JAVA);
      if (ours != null && theirs != null) {
        lines.add(new String[] {scenario.id(), "**ratio ours / grpc-java**",
            ratio(ours, theirs, "QPS"), ratio(ours, theirs, "50"), ratio(ours, theirs, "99"),
            ratio(ours, theirs, "99.9"), ""});
      }
    }
    out.println();
    out.print(MarkdownTable.render(lines));
    out.flush();
    return clean ? 0 : 1;
  }

  private static Map<String, Double> runOnce(
      Scenario scenario, Impl serverImpl, Duration warmup, Duration duration,
      List<String> jvmArgs) throws Exception {
    List<String> serverArgs = List.of("server", "--port=0", "--impl=" + serverImpl.flag());
    try (ChildProcess server = ChildProcess.start("server " + serverImpl.flag(),
        JavaCommand.of(jvmArgs, BenchmarkMain.class.getName(), serverArgs), System.err)) {
      String ready = server.awaitLine(
          l -> l.contains(ServerCommand.LISTENING_PREFIX), "its port", 60, TimeUnit.SECONDS);
      String port = ready.substring(ready.indexOf(ServerCommand.LISTENING_PREFIX)
          + ServerCommand.LISTENING_PREFIX.length()).trim();
      List<String> clientArgs = new ArrayList<>(List.of(
          "--address=127.0.0.1:" + port,
          "--channels=" + scenario.channels(),
          "--outstanding_rpcs=" + scenario.outstandingPerChannel(),
          "--client_payload=" + scenario.payloadBytes(),
          "--server_payload=" + scenario.payloadBytes(),
          "--warmup_duration=" + Math.max(1, warmup.toSeconds()),
          "--duration=" + Math.max(1, duration.toSeconds())));
      if (scenario.streaming()) {
        clientArgs.add("--streaming_rpcs");
      }
      Map<String, Double> numbers = new LinkedHashMap<>();
      try (ChildProcess client = ChildProcess.start("AsyncClient",
          JavaCommand.of(jvmArgs, ASYNC_CLIENT, clientArgs), System.err)) {
        long timeout = warmup.toSeconds() + duration.toSeconds() + 120;
        String line;
        while ((line = client.nextLine(timeout, TimeUnit.SECONDS)) != null) {
          parseLine(line, numbers);
        }
        int exit = client.waitFor(30, TimeUnit.SECONDS);
        if (exit != 0 || !numbers.containsKey("QPS")) {
          throw new IllegalStateException("AsyncClient exited with code " + exit
              + " without reporting QPS: " + client.lastErrors());
        }
      }
      // A clean stop; on a failure above, closing the ChildProcess kills the server instead.
      server.send("quit");
      server.waitFor(30, TimeUnit.SECONDS);
      return numbers;
    }
  }

  /** Reads AsyncClient's "QPS: N" and "99%ile Latency (in micros): N" lines. */
  static void parseLine(String line, Map<String, Double> numbers) {
    int colon = line.indexOf(':');
    if (colon < 0) {
      return;
    }
    String key = line.substring(0, colon).trim();
    String value = line.substring(colon + 1).trim();
    String name;
    if (key.equals("QPS")) {
      name = "QPS";
    } else if (key.endsWith("%ile Latency (in micros)")) {
      name = key.substring(0, key.indexOf('%'));
    } else {
      return;
    }
    try {
      numbers.put(name, Double.parseDouble(value));
    } catch (NumberFormatException e) {
      throw new IllegalStateException("AsyncClient printed an unreadable number: " + line, e);
    }
  }

  private static String cell(Map<String, Double> numbers, String key) {
    Double v = numbers.get(key);
    return v == null ? "-" : ResultTable.num(v);
  }

  private static String ratio(Map<String, Double> ours, Map<String, Double> theirs, String key) {
    Double a = ours.get(key);
    Double b = theirs.get(key);
    return a == null || b == null || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
  }
}
