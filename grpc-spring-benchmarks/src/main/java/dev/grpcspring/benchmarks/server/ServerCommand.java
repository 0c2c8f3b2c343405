package dev.grpcspring.benchmarks.server;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.ProcessStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * {@code server --port=N --impl=ours|grpc-java|vertx|armeria|netty [--host=127.0.0.1]
 * [--executor=pooled|direct|event-loop] [--canned-response-bytes=100] [--tls
 * --tls-provider=jdk|openssl --tls-dir=DIR] [--event-loop-threads=N]}: serves BenchmarkService (over TLS for ours and
 * grpc-java, with a certificate made in DIR when there is none)
 * until killed. {@code --direct} is short for {@code --executor=direct}; without either, a server
 * runs in its first mode ({@link Impl#modes()}). {@code --canned-response-bytes} sets the payload
 * of the raw Netty ceiling's one answer; {@code --event-loop-threads} the server's I/O threads
 * (0, the default, keeps the runtime's own choice).
 *
 * <p>It prints {@code listening on port N} once ready. Standard input is a control channel for the
 * {@code compare} harness: the line {@code stats} prints one {@link #STATS_PREFIX} line with the
 * server's counters; {@code heap} collects garbage and prints one {@link #HEAP_PREFIX} line with
 * the live heap (only between measurements: the collection disturbs a run); {@code quit} stops it. End of input changes nothing, so the server also runs
 * detached from a terminal.
 */
public final class ServerCommand {
  /** Start of the line a server prints once it accepts connections; the port follows. */
  public static final String LISTENING_PREFIX = "listening on port ";
  /** Start of the counters line printed for {@code stats}. */
  public static final String STATS_PREFIX = "STATS ";
  /** Start of the live-heap line printed for {@code heap}. */
  public static final String HEAP_PREFIX = "HEAP ";

  private ServerCommand() {}

  public static void run(Options options, PrintStream out) throws Exception {
    Impl impl = Impl.fromFlag(options.required("impl"));
    int port = options.integer("port", 0);
    String host = options.string("host", "127.0.0.1");
    boolean direct = options.flag("direct");
    String executor = options.string("executor", null);
    int canned =
        options.integer("canned-response-bytes", BenchmarkServers.DEFAULT_CANNED_RESPONSE_BYTES);
    BenchmarkTls tls = BenchmarkTls.fromOptions(options);
    int eventLoopThreads = options.integer("event-loop-threads", 0);
    options.checkAllUsed();
    if (tls != null) {
      tls.ensureCertificates();
    }
    ExecutorMode mode = executor != null ? ExecutorMode.fromFlag(executor) : impl.mode(direct);
    if (!impl.modes().contains(mode)) {
      throw new IllegalArgumentException(impl.flag() + "'s server runs in "
          + impl.modes().stream().map(ExecutorMode::flag).toList() + " mode, not " + mode.flag());
    }

    BenchmarkServer server =
        BenchmarkServers.start(impl, host, port, mode, canned, tls, eventLoopThreads);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeQuietlyOnExit(server);
                  stopped.countDown();
                },
                "benchmark-server-shutdown"));
    out.println("BenchmarkService (" + impl.flag() + ", " + mode.flag()
        + (tls == null ? "" : ", TLS " + tls.provider()) + ") " + LISTENING_PREFIX
        + server.port());
    out.flush();

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String command = line.trim();
      if (command.equals("stats")) {
        out.println(statsLine(server));
        out.flush();
      } else if (command.equals("heap")) {
        System.gc();
        out.println(HEAP_PREFIX + "liveHeapBytes=" + ProcessStats.liveHeapBytes());
        out.flush();
      } else if (command.equals("quit")) {
        server.close();
        out.println("stopped");
        out.flush();
        return;
      } else if (!command.isEmpty()) {
        out.println("unknown command '" + command + "' (known: stats, heap, quit)");
        out.flush();
      }
    }
    // No more commands will come: serve until the process is killed.
    stopped.await();
  }

  /** The counters the compare harness reads before and after a measurement. */
  static String statsLine(BenchmarkServer server) {
    return STATS_PREFIX
        + "responses=" + server.responsesSent()
        + " cpuNanos=" + ProcessStats.processCpuNanos()
        + " allocBytes=" + ProcessStats.allocatedBytes();
  }

  private static void closeQuietlyOnExit(BenchmarkServer server) {
    try {
      server.close();
    } catch (RuntimeException e) {
      // The JVM is exiting; say why the server did not stop cleanly and let the exit go on.
      System.err.println("Benchmark server did not stop cleanly: " + e);
    }
  }
}
