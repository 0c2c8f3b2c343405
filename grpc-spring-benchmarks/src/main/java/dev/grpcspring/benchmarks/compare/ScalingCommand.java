package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.client.ClientResult;
import dev.grpcspring.benchmarks.scaling.IdleHttp2Connections;
import dev.grpcspring.benchmarks.scaling.ScalingReport;
import dev.grpcspring.benchmarks.scaling.ScalingResults;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code scaling}: how each server's cost grows. For every selected server (ours and each peer,
 * each in its default executor mode unless {@code --mode} says otherwise), a fresh server JVM per
 * point and this module's client in its own JVM:
 *
 * <ul>
 *   <li><b>concurrency</b>: QPS and p50/p99 as the calls in flight grow ({@code --concurrency},
 *       1 to 10,000 by default), spread over {@code ceil(calls / --streams-per-connection)}
 *       connections;
 *   <li><b>size</b>: the same as the message grows ({@code --sizes}, 10 B to 4 MiB each way), at
 *       {@code --size-concurrency} calls in flight;
 *   <li><b>memory</b>: the server's heap after a full GC with {@code --connections} idle HTTP/2
 *       connections open (as many as the file-descriptor limit allows, said in the output), minus
 *       the heap before them, per connection; then with {@code --streams} idle StreamingCalls open
 *       on those connections, per stream.
 * </ul>
 *
 * <p>Results go to {@code --out}: {@code results.csv}, SVG charts and {@code results.md}, drawn
 * again after every point so an interrupted run keeps what it measured.
 */
public final class ScalingCommand {
  static final String DEFAULT_CONCURRENCY = "1,10,100,1000,10000";
  static final String DEFAULT_SIZES = "10,100,1k,16k,256k,1m,4m";
  static final String ALL_SWEEPS = "concurrency,size,memory";
  /** The largest message the benchmark servers answer (they accept requests of twice it). */
  static final int MAX_PAYLOAD = 4 * 1024 * 1024;
  /** At most this many heap samples per step. */
  private static final int SETTLE_SAMPLES = 15;

  private final RunSettings settings;
  private final String client;
  private final PrintStream out;
  private final ScalingResults results = new ScalingResults();
  private final Path outDir;
  /** Heap samples are taken this far apart until they agree (the server has settled). */
  private final long settleMillis;

  private ScalingCommand(RunSettings settings, String client, Path outDir, long settleMillis,
      PrintStream out) {
    this.settings = settings;
    this.client = client;
    this.outDir = outDir;
    this.settleMillis = settleMillis;
    this.out = out;
  }

  /**
   * Runs the sweeps; returns 0 when every point was measured, 1 when some failed (the results say
   * which and why).
   *
   * @param commandLine how the command was invoked, recorded beside the results
   */
  public static int run(Options options, PrintStream out, String commandLine) throws Exception {
    List<Impl> peers = CompareCommand.parsePeers(options.string("peers", "all"));
    String modeFlag = options.string("mode", "default");
    ExecutorMode mode = modeFlag.equals("default") ? null : ExecutorMode.fromFlag(modeFlag);
    String client = options.string("client", "grpc-java");
    List<String> sweeps = Arrays.asList(options.string("sweeps", ALL_SWEEPS).split(","));
    List<Integer> concurrency = counts("concurrency", options.string("concurrency",
        DEFAULT_CONCURRENCY));
    int perConnection = options.integer("streams-per-connection", 100);
    List<Integer> sizes = sizes(options.string("sizes", DEFAULT_SIZES));
    int sizeConcurrency = options.integer("size-concurrency", 10);
    String call = options.string("call", "unary");
    int connections = options.integer("connections", 10_000);
    int streams = options.integer("streams", 10_000);
    Duration warmup = options.duration("warmup", Duration.ofSeconds(5));
    Duration duration = options.duration("duration", Duration.ofSeconds(5));
    Duration settle = options.duration("settle", Duration.ofSeconds(1));
    String jvm = options.string("jvm-args", CompareCommand.DEFAULT_JVM_ARGS).trim();
    Path outDir = Path.of(options.string("out", "scaling-results")).toAbsolutePath();
    options.checkAllUsed();

    if (!client.equals("ours") && !client.equals("grpc-java")) {
      throw new IllegalArgumentException("--client must be ours or grpc-java (this module's load"
          + " clients, which report percentiles), got '" + client + "'");
    }
    if (mode == ExecutorMode.EVENT_LOOP) {
      throw new IllegalArgumentException("--mode takes default, pooled or direct; vertx and netty"
          + " run on their event loops either way");
    }
    for (String sweep : sweeps) {
      if (!List.of(ALL_SWEEPS.split(",")).contains(sweep)) {
        throw new IllegalArgumentException("--sweeps lists " + ALL_SWEEPS + ", got '" + sweep
            + "'");
      }
    }
    if (!call.equals("unary") && !call.equals("streaming")) {
      throw new IllegalArgumentException("--call must be unary or streaming, got '" + call + "'");
    }
    if (perConnection < 1 || sizeConcurrency < 1 || connections < 1 || streams < 0) {
      throw new IllegalArgumentException("--streams-per-connection, --size-concurrency and"
          + " --connections must be at least 1, --streams at least 0");
    }
    List<String> jvmArgs = jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+"));
    RunSettings settings =
        new RunSettings(warmup, duration, jvmArgs, false, null, System.err);
    ScalingCommand command =
        new ScalingCommand(settings, client, outDir, Math.max(1, settle.toMillis()), out);
    List<ServerVariant> servers = new ArrayList<>();
    servers.add(variant(Impl.OURS, mode));
    for (Impl peer : peers) {
      servers.add(variant(peer, mode));
    }
    command.describe(commandLine, call, perConnection, sizeConcurrency);
    int points = (sweeps.contains("concurrency") ? concurrency.size() : 0)
        + (sweeps.contains("size") ? sizes.size() : 0);
    long perPoint = warmup.toSeconds() + duration.toSeconds() + CompareCommand.RUN_OVERHEAD_SECONDS;
    out.printf(Locale.ROOT, "scaling: servers %s; %d load points each (warm-up %s, measured %s,"
            + " %s client, %s calls)%s; about %d min; results in %s%n",
        String.join(", ", servers.stream().map(ServerVariant::label).toList()), points,
        Options.format(warmup), Options.format(duration), client, call,
        sweeps.contains("memory") ? "; memory with " + connections + " idle connections and "
            + streams + " idle streams" : "",
        (servers.size() * (points * perPoint + (sweeps.contains("memory") ? 40 : 0)) + 59) / 60,
        outDir);
    out.flush();
    boolean ok = true;
    int turn = 0;
    if (sweeps.contains("concurrency")) {
      for (int calls : concurrency) {
        int channels = (calls + perConnection - 1) / perConnection;
        int each = (calls + channels - 1) / channels;
        for (ServerVariant server : rotated(servers, turn++)) {
          ok &= command.loadPoint(ScalingResults.CONCURRENCY, server, channels * each, channels,
              each, 100, call);
        }
      }
    }
    if (sweeps.contains("size")) {
      int channels = (sizeConcurrency + perConnection - 1) / perConnection;
      int each = (sizeConcurrency + channels - 1) / channels;
      for (int size : sizes) {
        for (ServerVariant server : rotated(servers, turn++)) {
          ok &= command.loadPoint(ScalingResults.SIZE, server, size, channels, each, size, call);
        }
      }
    }
    if (sweeps.contains("memory")) {
      for (ServerVariant server : servers) {
        ok &= command.memory(server, connections, streams, perConnection);
      }
    }
    command.results.meta("load average after", loadAverage());
    List<Path> written = command.save();
    out.println();
    out.println("scaling: wrote " + String.join(", ",
        written.stream().map(p -> p.getFileName().toString()).toList()) + " to " + outDir);
    out.print(Files.readString(outDir.resolve(ScalingReport.PAGE), StandardCharsets.UTF_8));
    out.flush();
    return ok ? 0 : 1;
  }

  private void describe(String commandLine, String call, int perConnection, int sizeConcurrency) {
    results.meta("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    results.meta("command", commandLine);
    results.meta("machine", Runtime.getRuntime().availableProcessors() + " cores, "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
        + System.getProperty("java.version") + ", file-descriptor limit "
        + fileDescriptorLimit());
    results.meta("load average before", loadAverage());
    results.meta("method", "every point a fresh server JVM (" + settings.jvmArgs() + "), driven"
        + " by this module's " + client + " client in its own JVM, closed loop, " + call
        + " calls; warm-up " + Options.format(settings.warmup()) + ", measured "
        + Options.format(settings.duration()) + "; at most " + perConnection + " calls per"
        + " connection; the size sweep at " + sizeConcurrency + " calls in flight, the"
        + " concurrency sweep with 100-byte messages");
  }

  /**
   * The server in {@code mode} when it has that mode, else in the one it has; a null mode is each
   * server as its users get it by default: ours and grpc-java's {@code AsyncServer} pooled,
   * Armeria's gRPC service on the event loop (its default for non-blocking stubs).
   */
  static ServerVariant variant(Impl impl, ExecutorMode mode) {
    if (mode == null) {
      return new ServerVariant(impl,
          impl == Impl.ARMERIA ? ExecutorMode.DIRECT : impl.modes().get(0));
    }
    return new ServerVariant(impl, impl.modes().contains(mode) ? mode : impl.modes().get(0));
  }

  /** The servers in a different order at each point, so none always runs first. */
  private static List<ServerVariant> rotated(List<ServerVariant> servers, int turn) {
    List<ServerVariant> order = new ArrayList<>(servers);
    Collections.rotate(order, -(turn % order.size()));
    return order;
  }

  /** One load point against a fresh server; returns whether it was measured without failures. */
  private boolean loadPoint(String sweep, ServerVariant server, long x, int channels, int each,
      int payload, String call) throws IOException {
    String label = server.label();
    String head = String.format(Locale.ROOT, "  %s %s: %s -> %d x %d calls, %d B:", sweep,
        sweep.equals(ScalingResults.SIZE) ? x + " B" : x + " calls", label, channels, each,
        payload);
    try (ServerProcess process =
        ServerProcess.start(server, payload, settings.vmArgs(""), settings.echo())) {
      HarnessClientRun.Measured m = HarnessClientRun.measure(settings, process, client,
          List.of("--channels=" + channels, "--outstanding=" + each, "--payload=" + payload,
              "--call=" + call), "");
      process.quit();
      ClientResult r = m.client();
      results.put(sweep, label, x, ScalingResults.CHANNELS, channels);
      results.put(sweep, label, x, ScalingResults.OUTSTANDING, each);
      if (r.failures > 0 || !(r.qps() > 0)) {
        String why = r.failures > 0 ? r.failures + " calls failed, first: " + r.firstFailure
            : "no call completed in the measured window";
        results.error(sweep, label, x, why);
        out.println(head + " failed: " + why);
        return false;
      }
      results.put(sweep, label, x, ScalingResults.QPS, r.qps());
      results.put(sweep, label, x, ScalingResults.P50, r.p50Micros);
      results.put(sweep, label, x, ScalingResults.P99, r.p99Micros);
      results.put(sweep, label, x, ScalingResults.P999, r.p999Micros);
      long responses = m.after().responses() - m.before().responses();
      if (responses > 0) {
        results.put(sweep, label, x, ScalingResults.SERVER_CPU,
            (m.after().cpuNanos() - m.before().cpuNanos()) / 1e3 / responses);
      }
      out.printf(Locale.ROOT, "%s %.0f/s, p50 %.0f us, p99 %.0f us%n", head, r.qps(),
          r.p50Micros, r.p99Micros);
      return true;
    } catch (Exception e) {
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      results.error(sweep, label, x, why);
      out.println(head + " failed: " + why);
      return false;
    } finally {
      out.flush();
      save();
    }
  }

  /**
   * The memory sweep against one fresh server: heap per idle connection, then per idle stream.
   * Returns whether every connection and stream stayed open through the measurement.
   */
  private boolean memory(ServerVariant server, int connections, int streams, int perConnection)
      throws IOException {
    String label = server.label();
    String head = "  memory: " + label + ":";
    long x = connections;
    try (ServerProcess process =
        ServerProcess.start(server, 100, settings.vmArgs(""), settings.echo())) {
      // The first connections and streams load classes and fill pools; keep that out of the
      // per-connection figure by opening and closing a few before the baseline.
      try (IdleHttp2Connections warm = new IdleHttp2Connections("127.0.0.1", process.port())) {
        warm.open(20);
        warm.openStreams(20, 1);
        Thread.sleep(settleMillis);
      }
      long start = process.liveHeapBytes();
      long baseline = settledHeap(process, start);
      try (IdleHttp2Connections idle = new IdleHttp2Connections("127.0.0.1", process.port())) {
        int opened = idle.open(connections);
        long withConnections = settledHeap(process, baseline);
        int streamsOpened = idle.openStreams(streams, perConnection);
        long withStreams = settledHeap(process, withConnections);
        IdleHttp2Connections.Health health = idle.check();
        results.put(ScalingResults.MEMORY, label, x, ScalingResults.CONNECTIONS_OPENED, opened);
        results.put(ScalingResults.MEMORY, label, x, ScalingResults.STREAMS_OPENED,
            streamsOpened);
        results.put(ScalingResults.MEMORY, label, x, ScalingResults.BASELINE_HEAP, baseline);
        results.put(ScalingResults.MEMORY, label, x, ScalingResults.HEAP_PER_CONNECTION,
            (double) (withConnections - baseline) / opened);
        if (streamsOpened > 0) {
          results.put(ScalingResults.MEMORY, label, x, ScalingResults.HEAP_PER_STREAM,
              (double) (withStreams - withConnections) / streamsOpened);
        }
        String shortfall = "";
        if (opened < connections) {
          shortfall += " (" + opened + " of " + connections + " connections: "
              + idle.stoppedBecause() + ")";
          results.meta("memory note " + label, "opened " + opened + " of " + connections
              + " connections: " + idle.stoppedBecause());
        }
        if (streamsOpened < streams) {
          shortfall += " (" + streamsOpened + " of " + streams + " streams: the server allows"
              + " fewer per connection than --streams-per-connection=" + perConnection + ")";
        }
        out.printf(Locale.ROOT, "%s baseline %.1f MiB; %d idle connections +%.0f B each;"
                + " %d idle streams +%.0f B each%s; afterwards %d open, %d closed by the server,"
                + " %d streams reset, %d answered, %d GOAWAY%n", head, baseline / 1048576.0,
            opened, (double) (withConnections - baseline) / opened, streamsOpened,
            streamsOpened > 0 ? (double) (withStreams - withConnections) / streamsOpened : 0.0,
            shortfall, health.open(), health.closed(), health.resetStreams(),
            health.endedStreams(), health.goaways());
        if (!health.allOpen()) {
          results.error(ScalingResults.MEMORY, label, x, "while they were idle the server closed "
              + health.closed() + " connections, reset " + health.resetStreams() + " streams,"
              + " answered " + health.endedStreams() + " and sent " + health.goaways()
              + " GOAWAY: the figures undercount what it holds for open ones");
          return false;
        }
      }
      process.quit();
      return true;
    } catch (Exception e) {
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      results.error(ScalingResults.MEMORY, label, x, why);
      out.println(head + " failed: " + why);
      return false;
    } finally {
      out.flush();
      save();
    }
  }

  /**
   * The server's heap after a full GC once it has taken in what was just opened: a server may
   * still be reading thousands of HEADERS frames a second after they were sent (on a busy machine,
   * longer), so samples are taken {@code --settle} apart until two in a row agree within 1% of the
   * growth since {@code before} (or 16 KiB), at most {@link #SETTLE_SAMPLES} of them.
   */
  private long settledHeap(ServerProcess process, long before) throws Exception {
    Thread.sleep(settleMillis);
    long last = process.liveHeapBytes();
    for (int i = 1; i < SETTLE_SAMPLES; i++) {
      Thread.sleep(settleMillis);
      long next = process.liveHeapBytes();
      long tolerance = Math.max(16 * 1024, Math.abs(next - before) / 100);
      if (Math.abs(next - last) <= tolerance) {
        return Math.min(last, next);
      }
      last = next;
    }
    return last;
  }

  private List<Path> save() throws IOException {
    return new ScalingReport(results).write(outDir);
  }

  /** {@code 1,10,100}: positive integers. */
  static List<Integer> counts(String name, String value) {
    List<Integer> list = new ArrayList<>();
    for (String part : value.split(",")) {
      try {
        int n = Integer.parseInt(part.trim());
        if (n < 1) {
          throw new NumberFormatException();
        }
        list.add(n);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " takes positive integers separated by"
            + " commas, got '" + value + "'");
      }
    }
    return list;
  }

  /** {@code 10,100,1k,16k,1m}: sizes in bytes, k = 1024, m = 1024 * 1024, at most 4 MiB. */
  static List<Integer> sizes(String value) {
    List<Integer> list = new ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      int unit = 1;
      if (p.endsWith("k")) {
        unit = 1024;
      } else if (p.endsWith("m")) {
        unit = 1024 * 1024;
      }
      long size;
      try {
        size = Long.parseLong(unit == 1 ? p : p.substring(0, p.length() - 1)) * unit;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--sizes takes sizes such as 10,1k,4m (k = 1024"
            + " bytes), got '" + part + "'");
      }
      if (size < 1 || size > MAX_PAYLOAD) {
        throw new IllegalArgumentException("--sizes must be between 1 byte and 4m (the largest"
            + " message the benchmark servers answer), got '" + part + "'");
      }
      list.add((int) size);
    }
    return list;
  }

  /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} gives them. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", load);
    }
  }

  private static String fileDescriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return Long.toString(unix.getMaxFileDescriptorCount());
    }
    return "unknown";
  }
}
