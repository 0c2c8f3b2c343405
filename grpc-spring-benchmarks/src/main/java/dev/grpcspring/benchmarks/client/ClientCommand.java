package dev.grpcspring.benchmarks.client;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.LoadShape;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code client --target=H:P --impl=ours|grpc-java --scenario=NAME [--warmup=15s]
 * [--duration=20s] [--direct] [--tls --tls-provider=jdk|openssl --tls-dir=DIR]}: drives any
 * BenchmarkService server (over TLS trusting DIR/ca.pem, as {@code localhost}) and prints QPS
 * and latency. {@code --channels}, {@code --outstanding}, {@code --payload} and {@code
 * --call=unary|streaming} change the scenario's load, or make one without {@code --scenario}
 * (the {@code scaling} sweep's points).
 *
 * <p>Besides the human-readable report it prints {@link #PHASE_START} and {@link #PHASE_END} around
 * the measured window and one {@link ClientResult#RESULT_PREFIX} line, which the compare harness
 * reads. With {@code --hold-after-measure} it keeps its connections open after the window until a
 * line arrives on standard input, so the harness can sample the server with every client
 * connection still up.
 */
public final class ClientCommand {
  public static final String PHASE_START = "PHASE measure-start";
  public static final String PHASE_END = "PHASE measure-end";

  private ClientCommand() {}

  /** Runs the command; returns the process exit code (non-zero when a call failed). */
  public static int run(Options options, PrintStream out) throws Exception {
    String target = options.required("target");
    Impl impl = Impl.fromFlag(options.required("impl"));
    LoadShape scenario = loadShape(options);
    Duration warmup = options.duration("warmup", Duration.ofSeconds(15));
    Duration duration = options.duration("duration", Duration.ofSeconds(20));
    boolean direct = options.flag("direct");
    boolean hold = options.flag("hold-after-measure");
    BenchmarkTls tls = BenchmarkTls.fromOptions(options);
    options.checkAllUsed();

    out.printf(
        Locale.ROOT,
        "%s client -> %s, scenario %s (%d channels x %d outstanding, %d-byte payloads%s),"
            + " warm-up %s, measured %s%n",
        impl.flag(), target, scenario.name(), scenario.channels(),
        scenario.outstandingPerChannel(), scenario.payloadBytes(),
        scenario.streaming() ? ", streaming ping-pong" : "", Options.format(warmup),
        Options.format(duration));
    out.flush();
    ClientResult result =
        LoadRun.run(
            LoadClients.create(impl, target, direct, tls),
            scenario,
            warmup,
            duration,
            new LoadRun.PhaseListener() {
              @Override
              public void measureStarted() {
                out.println(PHASE_START);
                out.flush();
              }

              @Override
              public void measureEnded() {
                out.println(PHASE_END);
                out.flush();
                if (hold) {
                  awaitStdinLine();
                }
              }
            });
    printReport(scenario, result, out);
    out.println(result.toLine());
    out.flush();
    return result.failures == 0 ? 0 : 1;
  }

  /** The {@code --scenario}'s load with any of the load options applied over it. */
  static LoadShape loadShape(Options options) {
    String id = options.string("scenario", null);
    LoadShape base = id == null ? null : Scenario.fromId(id).shape();
    int channels = options.integer("channels", base == null ? -1 : base.channels());
    int outstanding =
        options.integer("outstanding", base == null ? -1 : base.outstandingPerChannel());
    int payload = options.integer("payload", base == null ? -1 : base.payloadBytes());
    String call = options.string("call", base == null || !base.streaming() ? "unary" : "streaming");
    if (!call.equals("unary") && !call.equals("streaming")) {
      throw new IllegalArgumentException("--call must be unary or streaming, got '" + call + "'");
    }
    if (channels < 0 || outstanding < 0 || payload < 0) {
      throw new IllegalArgumentException("Give --scenario=NAME, or all of --channels, --outstanding"
          + " and --payload (and --call=unary|streaming)");
    }
    boolean streaming = call.equals("streaming");
    // A scenario's load keeps the scenario's name; any other is named after what it is.
    boolean asScenario = base != null && base.channels() == channels
        && base.outstandingPerChannel() == outstanding && base.payloadBytes() == payload
        && base.streaming() == streaming;
    String name = asScenario ? base.name()
        : String.format(Locale.ROOT, "%s-%dx%d-%dB", call, channels, outstanding, payload);
    return new LoadShape(name, channels, outstanding, payload, streaming);
  }

  private static void awaitStdinLine() {
    try {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the harness's go-ahead from stdin", e);
    }
  }

  static void printReport(LoadShape scenario, ClientResult r, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%s: %.1f %s/s over %.1f s (%d ok, %d failed)%n",
        scenario.name(), r.qps(), scenario.streaming() ? "messages" : "calls", r.seconds, r.calls,
        r.failures);
    if (scenario.payloadBytes() >= 1024 * 1024) {
      out.printf(
          Locale.ROOT, "  throughput: %.1f MiB/s each way%n",
          r.qps() * scenario.payloadBytes() / (1024.0 * 1024.0));
    }
    out.printf(
        Locale.ROOT,
        "  latency (us): p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f%n",
        r.p50Micros, r.p90Micros, r.p99Micros, r.p999Micros, r.maxMicros);
    out.printf(Locale.ROOT, "  client allocation: %.0f bytes/call%n", r.clientAllocBytesPerCall);
    if (r.firstFailure != null) {
      out.println("  first failure: " + r.firstFailure);
    }
  }
}
