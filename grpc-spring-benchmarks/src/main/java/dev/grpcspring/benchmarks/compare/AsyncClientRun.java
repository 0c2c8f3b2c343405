package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run driven by grpc-java's own qps client, {@code io.grpc.benchmarks.qps.AsyncClient} from
 * {@code io.grpc:grpc-benchmarks}, unchanged, in its own JVM, with the flags grpc-java's
 * benchmarks are run with ({@code --transport=netty_epoll} where epoll loads, the default 1 MiB
 * {@code --flow_control_window}).
 */
final class AsyncClientRun {
  static final String ASYNC_CLIENT = "io.grpc.benchmarks.qps.AsyncClient";

  private AsyncClientRun() {}

  /** AsyncClient's flags for the scenario; its durations are whole seconds (at least 1). */
  static List<String> arguments(Scenario scenario, int port, RunSettings settings) {
    List<String> args = new ArrayList<>(List.of(
        "--address=127.0.0.1:" + port,
        "--channels=" + scenario.channels(),
        "--outstanding_rpcs=" + scenario.outstandingPerChannel(),
        "--client_payload=" + scenario.payloadBytes(),
        "--server_payload=" + scenario.payloadBytes(),
        "--warmup_duration=" + Math.max(1, settings.warmup().toSeconds()),
        "--duration=" + Math.max(1, settings.duration().toSeconds())));
    if (epollAvailable()) {
      args.add("--transport=netty_epoll");
    }
    if (scenario.streaming()) {
      args.add("--streaming_rpcs");
    }
    if (settings.clientDirect()) {
      args.add("--directexecutor");
    }
    return args;
  }

  /** Whether the unshaded Netty that AsyncClient runs on loads its epoll transport here. */
  static boolean epollAvailable() {
    try {
      return io.netty.channel.epoll.Epoll.isAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  static void run(RunSettings settings, ServerProcess server, RunResult result, String recording)
      throws Exception {
    Map<String, Double> numbers = new LinkedHashMap<>();
    List<String> command = settings.pinning().client(JavaCommand.of(settings.vmArgs(recording),
        ASYNC_CLIENT, arguments(result.scenario, server.port(), settings)));
    ExternalDriverRun.Exit exit = ExternalDriverRun.run(settings, server, result, "AsyncClient",
        command, line -> parseLine(line, numbers));
    if (exit.code() != 0 || !numbers.containsKey("QPS")) {
      throw new IllegalStateException("AsyncClient exited with code " + exit.code()
          + " without reporting QPS: " + exit.lastErrors());
    }
    result.qps = numbers.get("QPS");
    result.p50Micros = numbers.getOrDefault("50", Double.NaN);
    result.p99Micros = numbers.getOrDefault("99", Double.NaN);
    result.p999Micros = numbers.getOrDefault("99.9", Double.NaN);
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
}
