package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.BenchmarkMain;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.client.ClientCommand;
import dev.grpcspring.benchmarks.client.ClientResult;
import dev.grpcspring.benchmarks.server.ServerCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code compare --scenario=NAME|all [--warmup=15s] [--duration=20s] [--pairs=all|same] [--direct]
 * [--jvm-args="-Xms1g -Xmx2g"] [--jfr=DIR]}: runs ours against ours, grpc-java against grpc-java, and both
 * crossings, each client and server in its own JVM started from this same jar, and prints one table
 * with the ratio ours / grpc-java per column.
 *
 * <p>With {@code --jfr=DIR} every client and server JVM records a JFR profile ({@code
 * settings=profile}) into {@code DIR}, named by scenario, pairing and role, for finding where the
 * time and the allocation go.
 *
 * <p>Pairs run one after another, never at the same time, and the order alternates from scenario
 * to scenario so neither runtime always runs first on a machine that is warming up or getting
 * busier.
 */
public final class CompareCommand {
  static final String DEFAULT_JVM_ARGS = "-Xms1g -Xmx2g";

  private final Duration warmup;
  private final Duration duration;
  private final boolean direct;
  private final List<String> jvmArgs;
  private final Path jfrDir;
  private final PrintStream out;

  private CompareCommand(
      Duration warmup, Duration duration, boolean direct, List<String> jvmArgs, Path jfrDir,
      PrintStream out) {
    this.warmup = warmup;
    this.duration = duration;
    this.direct = direct;
    this.jvmArgs = jvmArgs;
    this.jfrDir = jfrDir;
    this.out = out;
  }

  /** Runs the command; returns the exit code (non-zero when a run failed or a call failed). */
  public static int run(Options options, PrintStream out) throws Exception {
    List<Scenario> scenarios = Scenario.parseList(options.required("scenario"));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(15));
    Duration duration = options.duration("duration", Duration.ofSeconds(20));
    String pairs = options.string("pairs", "all");
    boolean direct = options.flag("direct");
    String jvm = options.string("jvm-args", DEFAULT_JVM_ARGS).trim();
    String jfr = options.string("jfr", null);
    options.checkAllUsed();
    if (!pairs.equals("all") && !pairs.equals("same")) {
      throw new IllegalArgumentException("--pairs must be 'all' or 'same', got '" + pairs + "'");
    }
    List<String> jvmArgs = jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+"));
    Path jfrDir = null;
    if (jfr != null) {
      jfrDir = Path.of(jfr).toAbsolutePath();
      Files.createDirectories(jfrDir);
    }
    CompareCommand compare = new CompareCommand(warmup, duration, direct, jvmArgs, jfrDir, out);
    ResultTable table = compare.runAll(scenarios, pairs.equals("all"));
    boolean clean = true;
    for (PairResult r : table.rows()) {
      clean &= r.result != null && r.result.failures == 0;
    }
    return clean ? 0 : 1;
  }

  private ResultTable runAll(List<Scenario> scenarios, boolean crossings) throws Exception {
    ResultTable table = new ResultTable();
    int pairsPerScenario = crossings ? 4 : 2;
    long estimate =
        scenarios.size() * pairsPerScenario * (warmup.toSeconds() + duration.toSeconds() + 6);
    out.printf(
        Locale.ROOT,
        "compare: %d scenario(s) x %d pairings, warm-up %s, measured %s, JVM args %s;"
            + " about %d min%n",
        scenarios.size(), pairsPerScenario, Options.format(warmup), Options.format(duration),
        jvmArgs, (estimate + 59) / 60);
    out.flush();
    Instant started = Instant.now();
    for (int s = 0; s < scenarios.size(); s++) {
      Scenario scenario = scenarios.get(s);
      List<Impl[]> order = new ArrayList<>();
      // Alternate which runtime goes first from one scenario to the next.
      Impl first = s % 2 == 0 ? Impl.OURS : Impl.GRPC_JAVA;
      Impl second = first == Impl.OURS ? Impl.GRPC_JAVA : Impl.OURS;
      order.add(new Impl[] {first, first});
      order.add(new Impl[] {second, second});
      if (crossings) {
        order.add(new Impl[] {first, second});
        order.add(new Impl[] {second, first});
      }
      for (Impl[] pair : order) {
        PairResult result = runPair(scenario, pair[0], pair[1]);
        table.add(result);
        out.println(summary(result));
        out.flush();
      }
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "Results (%s, warm-up %s, measured %s; client and server in separate JVMs on this"
            + " machine; took %d s):%n%n",
        Instant.now(), Options.format(warmup), Options.format(duration),
        Duration.between(started, Instant.now()).toSeconds());
    out.print(table.render());
    out.flush();
    return table;
  }

  private static String summary(PairResult r) {
    if (r.result == null) {
      return String.format(
          Locale.ROOT, "  %s %s: run failed: %s", r.scenario.id(), r.pairName(), r.error);
    }
    return String.format(
        Locale.ROOT,
        "  %s %s: %.0f/s, p50 %.1f us, p99 %.1f us, server %.1f us CPU/call, %d failed",
        r.scenario.id(), r.pairName(), r.result.qps(), r.result.p50Micros, r.result.p99Micros,
        r.serverCpuMicrosPerCall, r.result.failures);
  }

  private PairResult runPair(Scenario scenario, Impl clientImpl, Impl serverImpl)
      throws InterruptedException {
    String serverName = "server " + serverImpl.flag();
    String clientName = "client " + clientImpl.flag();
    List<String> serverArgs = new ArrayList<>(List.of("server", "--port=0",
        "--impl=" + serverImpl.flag()));
    List<String> clientArgs = new ArrayList<>();
    if (direct) {
      serverArgs.add("--direct");
    }
    String recording = scenario.id() + "-" + clientImpl.flag() + "-to-" + serverImpl.flag();
    try (ChildProcess server = ChildProcess.start(
        serverName, command(serverArgs, recording + "-server"), System.err)) {
      String ready =
          server.awaitLine(
              l -> l.contains(ServerCommand.LISTENING_PREFIX), "its port", 60, TimeUnit.SECONDS);
      int port =
          Integer.parseInt(
              ready.substring(ready.indexOf(ServerCommand.LISTENING_PREFIX)
                  + ServerCommand.LISTENING_PREFIX.length()).trim());
      clientArgs.addAll(List.of("client", "--target=127.0.0.1:" + port,
          "--impl=" + clientImpl.flag(), "--scenario=" + scenario.id(),
          "--warmup=" + Options.format(warmup), "--duration=" + Options.format(duration),
          "--hold-after-measure"));
      if (direct) {
        clientArgs.add("--direct");
      }
      PairResult result;
      try (ChildProcess client = ChildProcess.start(
          clientName, command(clientArgs, recording + "-client"), System.err)) {
        result = drive(scenario, clientImpl, serverImpl, server, client);
      }
      // A clean stop, so the next pair starts on an idle machine; on any failure above, closing
      // the ChildProcess kills the server instead.
      server.send("quit");
      server.waitFor(30, TimeUnit.SECONDS);
      return result;
    } catch (Exception e) {
      return PairResult.failed(scenario, clientImpl, serverImpl,
          e.getMessage() != null ? e.getMessage() : e.toString());
    }
  }

  /** The child JVM's command line; {@code recording} names its JFR file when --jfr is set. */
  private List<String> command(List<String> args, String recording) {
    List<String> vmArgs = new ArrayList<>(jvmArgs);
    if (jfrDir != null) {
      vmArgs.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
          + jfrDir.resolve(recording + ".jfr"));
    }
    return JavaCommand.of(vmArgs, BenchmarkMain.class.getName(), args);
  }

  private PairResult drive(
      Scenario scenario, Impl clientImpl, Impl serverImpl, ChildProcess server,
      ChildProcess client) throws Exception {
    long lineTimeout = warmup.toSeconds() + duration.toSeconds() + 120;
    Map<String, String> before = null;
    Map<String, String> after = null;
    long liveHeapBytes = -1;
    ClientResult result = null;
    String line;
    while ((line = client.nextLine(lineTimeout, TimeUnit.SECONDS)) != null) {
      if (line.equals(ClientCommand.PHASE_START)) {
        before = serverStats(server);
      } else if (line.equals(ClientCommand.PHASE_END)) {
        after = serverStats(server);
        liveHeapBytes = serverLiveHeap(server);
        client.send("go");
      } else if (line.startsWith(ClientResult.RESULT_PREFIX)) {
        result = ClientResult.parse(line);
      }
    }
    int exit = client.waitFor(30, TimeUnit.SECONDS);
    if (result == null || before == null || after == null) {
      return PairResult.failed(scenario, clientImpl, serverImpl,
          "client exited with code " + exit + " without a result: " + client.lastErrors());
    }
    long responses = delta(before, after, "responses");
    double perCall = Math.max(responses, 1);
    return new PairResult(
        scenario, clientImpl, serverImpl, result,
        delta(before, after, "allocBytes") / perCall,
        delta(before, after, "cpuNanos") / perCall / 1e3,
        liveHeapBytes / (1024.0 * 1024.0),
        null);
  }

  private static Map<String, String> serverStats(ChildProcess server) throws Exception {
    server.send("stats");
    String line =
        server.awaitLine(
            l -> l.startsWith(ServerCommand.STATS_PREFIX), "its stats", 10, TimeUnit.SECONDS);
    return ClientResult.keyValues(line.substring(ServerCommand.STATS_PREFIX.length()));
  }

  /** Collects garbage in the server (between measurements) and returns its live heap. */
  private static long serverLiveHeap(ChildProcess server) throws Exception {
    server.send("heap");
    String line =
        server.awaitLine(
            l -> l.startsWith(ServerCommand.HEAP_PREFIX), "its heap", 30, TimeUnit.SECONDS);
    return Long.parseLong(
        ClientResult.keyValues(line.substring(ServerCommand.HEAP_PREFIX.length()))
            .get("liveHeapBytes"));
  }

  private static long delta(Map<String, String> before, Map<String, String> after, String key) {
    return Long.parseLong(after.get(key)) - Long.parseLong(before.get(key));
  }
}
