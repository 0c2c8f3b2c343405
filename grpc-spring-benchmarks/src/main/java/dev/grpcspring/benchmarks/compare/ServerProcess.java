package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.BenchmarkMain;
import dev.grpcspring.benchmarks.client.ClientResult;
import dev.grpcspring.benchmarks.server.ServerCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A benchmark server in its own JVM ({@code server} subcommand), sampled over its stdin. */
final class ServerProcess implements AutoCloseable {
  /** The server's counters at one moment. */
  record Stats(long responses, long cpuNanos, long allocBytes) {}

  private final ChildProcess process;
  private final int port;

  private ServerProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the server and waits for its port.
   *
   * @param vmArgs the child JVM's flags
   * @param cannedResponseBytes the raw Netty ceiling's answer size (the others ignore it)
   */
  static ServerProcess start(
      ServerVariant variant, int cannedResponseBytes, List<String> vmArgs, PrintStream echo)
      throws Exception {
    return start(variant, cannedResponseBytes, vmArgs, echo, List.of(), CpuPinning.NONE);
  }

  /** As above, with more server flags ({@code --tls ...}), on the pinning's server CPUs. */
  static ServerProcess start(ServerVariant variant, int cannedResponseBytes, List<String> vmArgs,
      PrintStream echo, List<String> extraFlags, CpuPinning pinning) throws Exception {
    List<String> args = new ArrayList<>(List.of("server", "--port=0",
        "--impl=" + variant.impl().flag(), "--executor=" + variant.mode().flag(),
        "--canned-response-bytes=" + cannedResponseBytes));
    args.addAll(extraFlags);
    ChildProcess process = ChildProcess.start("server " + variant.label(),
        pinning.server(JavaCommand.of(vmArgs, BenchmarkMain.class.getName(), args)), echo);
    try {
      String ready =
          process.awaitLine(
              l -> l.contains(ServerCommand.LISTENING_PREFIX), "its port", 60, TimeUnit.SECONDS);
      int port =
          Integer.parseInt(
              ready.substring(ready.indexOf(ServerCommand.LISTENING_PREFIX)
                  + ServerCommand.LISTENING_PREFIX.length()).trim());
      return new ServerProcess(process, port);
    } catch (Exception | Error e) {
      process.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  Stats stats() throws Exception {
    process.send("stats");
    String line =
        process.awaitLine(
            l -> l.startsWith(ServerCommand.STATS_PREFIX), "its stats", 10, TimeUnit.SECONDS);
    Map<String, String> kv =
        ClientResult.keyValues(line.substring(ServerCommand.STATS_PREFIX.length()));
    return new Stats(Long.parseLong(kv.get("responses")), Long.parseLong(kv.get("cpuNanos")),
        Long.parseLong(kv.get("allocBytes")));
  }

  /** Collects garbage in the server (between measurements) and returns its live heap in MiB. */
  double liveHeapMiB() throws Exception {
    return liveHeapBytes() / (1024.0 * 1024.0);
  }

  /** Collects garbage in the server (between measurements) and returns its live heap in bytes. */
  long liveHeapBytes() throws Exception {
    process.send("heap");
    String line =
        process.awaitLine(
            l -> l.startsWith(ServerCommand.HEAP_PREFIX), "its heap", 30, TimeUnit.SECONDS);
    return Long.parseLong(
        ClientResult.keyValues(line.substring(ServerCommand.HEAP_PREFIX.length()))
            .get("liveHeapBytes"));
  }

  /** Stops it cleanly, so the next run starts on an idle machine. */
  void quit() throws Exception {
    process.send("quit");
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Kills it if it still runs (after a failure). */
  @Override
  public void close() {
    process.close();
  }
}
