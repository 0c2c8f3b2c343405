package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.Scenario;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code compare [--scenario=...] [--peers=grpc-java|all|LIST] [--drivers=all|LIST]
 * [--modes=pooled,direct] [--rounds=1] [--warmup=15s] [--duration=20s] [--client-direct]
 * [--jvm-args="-Xms1g -Xmx2g"] [--jfr=DIR] [--server-cpus=LIST --client-cpus=LIST]
 * [--event-loop-threads=N]}: every selected server (ours and each peer, in each
 * executor mode it has) driven by every selected driver, one run at a time, each run against a
 * fresh server JVM; repeated {@code --rounds} times, and reported as the median of the per-round
 * ratios ours / peer with their spread.
 *
 * <p>The order of the servers rotates from one round and scenario to the next, so no runtime
 * always runs first on a machine that is warming up or getting busier. A driver runs in the same
 * configuration against every server ({@code --client-direct} or not), so a ratio compares
 * servers only. {@code --event-loop-threads} gives every server the same number of I/O threads
 * (by default each keeps its own: ours one per core, grpc-java, Armeria and the Netty ceiling two,
 * Vert.x one verticle per core).
 */
public final class CompareCommand {
  static final String DEFAULT_JVM_ARGS = "-Xms1g -Xmx2g";
  /** The scenarios of issue 16's table that every peer and driver can run in a sitting. */
  public static final String DEFAULT_SCENARIOS = "unary-latency,unary-throughput,streaming-throughput";
  /** Seconds a run costs on top of warm-up and window: two JVM starts and a clean stop. */
  static final int RUN_OVERHEAD_SECONDS = 5;

  private final RunSettings settings;
  private final PrintStream out;

  private CompareCommand(RunSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs {@code compare}; returns the exit code (non-zero when a run failed or a call failed). */
  public static int run(Options options, PrintStream out) throws Exception {
    return run(options, out, "grpc-java", "all");
  }

  /**
   * Runs a comparison whose {@code --peers} and {@code --drivers} default as given ({@code
   * qps-check} is this with AsyncClient against grpc-java).
   */
  static int run(Options options, PrintStream out, String defaultPeers, String defaultDrivers)
      throws Exception {
    // Options of the first harness, named so that an old command line says what replaced them.
    if (options.string("pairs", null) != null) {
      throw new IllegalArgumentException("--pairs is gone: every server is now driven by each of"
          + " --drivers=ours,grpc-java,async-client,h2load (ours and grpc-java clients against"
          + " ours and grpc-java servers are the old crossings)");
    }
    if (options.string("direct", null) != null) {
      throw new IllegalArgumentException("--direct is gone: --modes=direct runs the servers on"
          + " their event loops, --client-direct the clients");
    }
    List<Scenario> scenarios =
        Scenario.parseList(options.string("scenario", DEFAULT_SCENARIOS));
    List<Impl> peers = parsePeers(options.string("peers", defaultPeers));
    List<Driver> drivers = Driver.parseList(options.string("drivers", defaultDrivers));
    List<ExecutorMode> modes = parseModes(options.string("modes", "pooled,direct"));
    int rounds = options.integer("rounds", 1);
    Duration warmup = options.duration("warmup", Duration.ofSeconds(15));
    Duration duration = options.duration("duration", Duration.ofSeconds(20));
    boolean clientDirect = options.flag("client-direct");
    String jvm = options.string("jvm-args", DEFAULT_JVM_ARGS).trim();
    String jfr = options.string("jfr", null);
    boolean tlsOn = options.flag("tls");
    String tlsProvider = options.string("tls-provider", null);
    CpuPinning pinning =
        CpuPinning.parse(options.string("server-cpus", null), options.string("client-cpus", null));
    int eventLoopThreads = options.integer("event-loop-threads", 0);
    options.checkAllUsed();
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException("--event-loop-threads must be positive (or 0 for each"
          + " server's own default), got " + eventLoopThreads);
    }
    BenchmarkTls tls = null;
    if (tlsOn) {
      for (Impl peer : peers) {
        if (peer != Impl.GRPC_JAVA) {
          throw new IllegalArgumentException("--tls runs ours against grpc-java only (TLS is set up"
              + " for those two): use --peers=grpc-java, not " + peer.flag());
        }
      }
      for (Driver driver : drivers) {
        if (driver != Driver.OURS && driver != Driver.GRPC_JAVA) {
          throw new IllegalArgumentException("--tls drives with this module's clients only: use"
              + " --drivers=ours,grpc-java, not " + driver.flag());
        }
      }
      // A CA and server certificate made for this comparison, shared by its child processes.
      tls = new BenchmarkTls(BenchmarkTls.parseProvider(tlsProvider == null ? "jdk" : tlsProvider),
          Files.createTempDirectory("benchmark-tls"));
      tls.ensureCertificates();
    } else if (tlsProvider != null) {
      throw new IllegalArgumentException("--tls-provider is for TLS: add --tls");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    List<String> jvmArgs = jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+"));
    Path jfrDir = null;
    if (jfr != null) {
      jfrDir = Path.of(jfr).toAbsolutePath();
      Files.createDirectories(jfrDir);
    }
    Path h2load = null;
    if (drivers.contains(Driver.H2LOAD)) {
      h2load = H2loadRun.find();
      if (h2load == null) {
        out.println("compare: h2load is not installed (Debian: apt-get install nghttp2-client);"
            + " skipping the h2load driver");
        drivers = new ArrayList<>(drivers);
        drivers.remove(Driver.H2LOAD);
      }
    }
    RunSettings settings =
        new RunSettings(warmup, duration, jvmArgs, clientDirect, jfrDir, System.err, tls, pinning,
            eventLoopThreads);
    CompareCommand compare = new CompareCommand(settings, out);
    List<ServerVariant> servers = servers(peers, modes);
    if (servers.size() < 2) {
      throw new IllegalArgumentException("Nothing to compare: --peers=" + peers + " and --modes="
          + modes + " leave only " + servers);
    }
    Comparison comparison = compare.runAll(scenarios, servers, drivers, rounds, h2load);
    return comparison.allOk() ? 0 : 1;
  }

  static List<Impl> parsePeers(String value) {
    List<Impl> peers = new ArrayList<>();
    if (value.equals("all")) {
      for (Impl impl : Impl.values()) {
        if (impl != Impl.OURS) {
          peers.add(impl);
        }
      }
      return peers;
    }
    for (String part : value.split(",")) {
      Impl impl = Impl.fromFlag(part.trim());
      if (impl == Impl.OURS) {
        throw new IllegalArgumentException("--peers lists the others; ours always runs");
      }
      peers.add(impl);
    }
    return peers;
  }

  static List<ExecutorMode> parseModes(String value) {
    List<ExecutorMode> modes = new ArrayList<>();
    for (String part : value.split(",")) {
      ExecutorMode mode = ExecutorMode.fromFlag(part.trim());
      if (mode == ExecutorMode.EVENT_LOOP) {
        throw new IllegalArgumentException("--modes takes pooled and direct; servers that only"
            + " run on their event loop (vertx, netty) run once per round either way");
      }
      modes.add(mode);
    }
    return modes;
  }

  /** Ours in each mode, then each peer in each of its modes that was asked for. */
  static List<ServerVariant> servers(List<Impl> peers, List<ExecutorMode> modes) {
    List<ServerVariant> servers = new ArrayList<>();
    List<Impl> impls = new ArrayList<>();
    impls.add(Impl.OURS);
    impls.addAll(peers);
    for (Impl impl : impls) {
      for (ExecutorMode mode : impl.modes()) {
        if (mode == ExecutorMode.EVENT_LOOP || modes.contains(mode)) {
          servers.add(new ServerVariant(impl, mode));
        }
      }
    }
    return servers;
  }

  /** Every (scenario, driver, server) run of one round, in the order they run. */
  static List<RunResult> plan(
      int round, List<Scenario> scenarios, List<ServerVariant> servers, List<Driver> drivers) {
    List<RunResult> plan = new ArrayList<>();
    int turn = round;
    for (Scenario scenario : scenarios) {
      for (Driver driver : drivers) {
        if (!driver.supports(scenario)) {
          continue;
        }
        List<ServerVariant> order = new ArrayList<>();
        for (ServerVariant server : servers) {
          if (driver.drives(server)) {
            order.add(server);
          }
        }
        // Rotate which server goes first from one (round, scenario, driver) to the next.
        Collections.rotate(order, -(turn++ % Math.max(1, order.size())));
        for (ServerVariant server : order) {
          plan.add(new RunResult(round, scenario, driver, server));
        }
      }
    }
    return plan;
  }

  private Comparison runAll(
      List<Scenario> scenarios, List<ServerVariant> servers, List<Driver> drivers, int rounds,
      Path h2load) throws Exception {
    int runsPerRound = plan(0, scenarios, servers, drivers).size();
    long perRun = settings.warmup().toSeconds() + settings.duration().toSeconds()
        + RUN_OVERHEAD_SECONDS;
    long estimate = (long) rounds * runsPerRound * perRun;
    out.printf(Locale.ROOT,
        "compare: %d round(s) x %d runs (scenarios %s; servers %s; drivers %s), warm-up %s,"
            + " measured %s, clients %s, JVM args %s, %s, %s; about %d min%n",
        rounds, runsPerRound, ids(scenarios), labels(servers), flags(drivers),
        Options.format(settings.warmup()), Options.format(settings.duration()),
        settings.clientDirect() ? "direct" : "pooled", settings.jvmArgs(),
        settings.pinning().describe(), settings.describeEventLoops(), (estimate + 59) / 60);
    out.flush();
    Comparison comparison = new Comparison();
    Instant started = Instant.now();
    for (int round = 0; round < rounds; round++) {
      for (RunResult run : plan(round, scenarios, servers, drivers)) {
        runOne(run, h2load);
        comparison.add(run);
        out.println(summary(run, rounds));
        out.flush();
      }
    }
    out.println();
    out.printf(Locale.ROOT,
        "Results (%s; %d round(s), warm-up %s, measured %s per run; every run a fresh server JVM,"
            + " driver in its own process, on this machine, %s; %s; clients %s; took %d min):%n%n",
        Instant.now(), rounds, Options.format(settings.warmup()),
        Options.format(settings.duration()), settings.pinning().describe(),
        settings.describeEventLoops(),
        settings.clientDirect() ? "direct" : "pooled",
        (Duration.between(started, Instant.now()).toSeconds() + 59) / 60);
    out.print(comparison.render());
    out.flush();
    return comparison;
  }

  private void runOne(RunResult run, Path h2load) {
    String recording = "r" + (run.round + 1) + "-" + run.scenario.id() + "-" + run.driver.flag()
        + "-to-" + run.server.fileName();
    try (ServerProcess server = ServerProcess.start(run.server, run.scenario.payloadBytes(),
        settings.vmArgs(recording + "-server"), settings.echo(), settings.serverFlags(),
        settings.pinning())) {
      switch (run.driver) {
        case OURS:
        case GRPC_JAVA:
          HarnessClientRun.run(settings, server, run, recording + "-client");
          break;
        case ASYNC_CLIENT:
          AsyncClientRun.run(settings, server, run, recording + "-client");
          break;
        case H2LOAD:
          H2loadRun.run(h2load, settings, server, run);
          break;
        default:
          throw new IllegalStateException("Unknown driver " + run.driver);
      }
      if (!(run.qps > 0)) {
        run.error = run.driver.label() + " completed no call in the measured window: the"
            + " machine is overloaded or the warm-up too short for this server to answer";
      }
      // A clean stop, so the next run starts on an idle machine; on a failure above, closing
      // the ServerProcess kills the server instead.
      server.quit();
    } catch (Exception e) {
      run.error = e.getMessage() != null ? e.getMessage() : e.toString();
    }
  }

  private static String summary(RunResult r, int rounds) {
    String head = String.format(Locale.ROOT, "  %s%s %s -> %s:",
        rounds > 1 ? "round " + (r.round + 1) + " " : "", r.scenario.id(), r.driver.label(),
        r.server.label());
    if (r.error != null) {
      return head + " run failed: " + r.error;
    }
    return head + String.format(Locale.ROOT,
        " %.0f/s, p50 %s us, p99 %s us, mean %s us, server %s us CPU/call, %d failed%s",
        r.qps, Comparison.num(r.p50Micros), Comparison.num(r.p99Micros),
        Comparison.num(r.meanMicros), Comparison.num(r.serverCpuMicrosPerCall), r.failures,
        r.firstFailure == null ? "" : " (" + r.firstFailure + ")");
  }

  private static String ids(List<Scenario> scenarios) {
    return String.join(",", scenarios.stream().map(Scenario::id).toList());
  }

  private static String labels(List<ServerVariant> servers) {
    return String.join(", ", servers.stream().map(ServerVariant::label).toList());
  }

  private static String flags(List<Driver> drivers) {
    return String.join(",", drivers.stream().map(Driver::flag).toList());
  }
}
