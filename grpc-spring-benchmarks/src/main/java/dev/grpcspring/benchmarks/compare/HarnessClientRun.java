package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.BenchmarkMain;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.client.ClientCommand;
import dev.grpcspring.benchmarks.client.ClientResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A run driven by this module's client ({@code client} subcommand, ours or grpc-java's) in its own
 * JVM: the server is sampled exactly at the window's start and end, which the client announces.
 */
final class HarnessClientRun {
  /**
   * What one client run measured, with the server's counters at the window's edges and its live
   * heap right after the window (client connections still open).
   */
  record Measured(ClientResult client, ServerProcess.Stats before, ServerProcess.Stats after,
      double serverLiveHeapMiB) {}

  private HarnessClientRun() {}

  static void run(RunSettings settings, ServerProcess server, RunResult result, String recording)
      throws Exception {
    String impl = result.driver == Driver.OURS ? "ours" : "grpc-java";
    Measured measured = measure(settings, server, impl,
        List.of("--scenario=" + result.scenario.id()), recording);
    ClientResult client = measured.client();
    result.serverLiveHeapMiB = measured.serverLiveHeapMiB();
    result.qps = client.qps();
    result.p50Micros = client.p50Micros;
    result.p99Micros = client.p99Micros;
    result.p999Micros = client.p999Micros;
    result.clientAllocBytesPerCall = client.clientAllocBytesPerCall;
    result.failures = client.failures;
    result.firstFailure = client.firstFailure;
    result.serverCounters(measured.before(), measured.after());
  }

  /**
   * Runs the {@code client} command of {@code impl} ("ours" or "grpc-java") against the server
   * with the given load flags ({@code --scenario=...}, or {@code --channels=...} and the rest).
   */
  static Measured measure(RunSettings settings, ServerProcess server, String impl,
      List<String> loadFlags, String recording) throws Exception {
    List<String> args = new ArrayList<>(List.of("client", "--target=127.0.0.1:" + server.port(),
        "--impl=" + impl));
    args.addAll(loadFlags);
    args.addAll(List.of("--warmup=" + Options.format(settings.warmup()),
        "--duration=" + Options.format(settings.duration()), "--hold-after-measure"));
    if (settings.clientDirect()) {
      args.add("--direct");
    }
    args.addAll(settings.tlsFlags());
    ServerProcess.Stats before = null;
    ServerProcess.Stats after = null;
    double heapMiB = Double.NaN;
    ClientResult client = null;
    try (ChildProcess process = ChildProcess.start("client " + impl,
        settings.pinning().client(
            JavaCommand.of(settings.vmArgs(recording), BenchmarkMain.class.getName(), args)),
        settings.echo())) {
      String line;
      while ((line = process.nextLine(settings.lineTimeoutSeconds(), TimeUnit.SECONDS)) != null) {
        if (line.equals(ClientCommand.PHASE_START)) {
          before = server.stats();
        } else if (line.equals(ClientCommand.PHASE_END)) {
          after = server.stats();
          heapMiB = server.liveHeapMiB();
          process.send("go");
        } else if (line.startsWith(ClientResult.RESULT_PREFIX)) {
          client = ClientResult.parse(line);
        }
      }
      int exit = process.waitFor(30, TimeUnit.SECONDS);
      if (client == null || before == null || after == null) {
        throw new IllegalStateException("client " + impl + " exited with code " + exit
            + " without a complete result: " + process.lastErrors());
      }
    }
    return new Measured(client, before, after, heapMiB);
  }
}
