package dev.grpcspring.benchmarks.compare;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run driven by nghttp2's h2load (Debian: {@code nghttp2-client}): {@code channels} connections
 * x {@code outstanding} streams posting one pre-built gRPC request body (the 5-byte prefix and a
 * SimpleRequest asking for the scenario's payload) to {@code UnaryCall}, with {@code content-type:
 * application/grpc} and {@code te: trailers}, one h2load thread. It counts a request as succeeded
 * on HTTP 2xx and does not read {@code grpc-status}; it reports a mean latency, no percentiles.
 */
final class H2loadRun {
  private static final Pattern FINISHED =
      Pattern.compile("finished in [^,]+, ([0-9.]+) req/s");
  private static final Pattern REQUESTS =
      Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded,"
          + " (\\d+) failed, (\\d+) errored, (\\d+) timeout");
  private static final Pattern TIME_FOR_REQUEST =
      Pattern.compile("time for request:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");

  private H2loadRun() {}

  /** The h2load on the PATH, or null when there is none. */
  static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "h2load");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The gRPC-framed request body h2load posts for the scenario. */
  static byte[] requestBody(Scenario scenario) {
    int size = scenario.payloadBytes();
    byte[] message =
        SimpleRequest.newBuilder()
            .setResponseSize(size)
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
            .build()
            .toByteArray();
    return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length)
        .put(message).array();
  }

  /** A timed run: the settings' warm-up, then their window. */
  static List<String> command(
      Path h2load, Scenario scenario, int port, Path body, RunSettings settings) {
    return command(h2load, scenario, port, body, List.of(
        "--warm-up-time=" + Options.format(settings.warmup()),
        "--duration=" + Options.format(settings.duration())));
  }

  /** h2load with the scenario's connections and streams; {@code howLong} says when it stops. */
  static List<String> command(
      Path h2load, Scenario scenario, int port, Path body, List<String> howLong) {
    List<String> command = new ArrayList<>(List.of(
        h2load.toString(),
        "--clients=" + scenario.channels(),
        "--max-concurrent-streams=" + scenario.outstandingPerChannel(),
        "--threads=1"));
    command.addAll(howLong);
    command.addAll(List.of(
        "--data=" + body,
        "--header=content-type: application/grpc",
        "--header=te: trailers",
        "http://127.0.0.1:" + port + "/grpc.testing.BenchmarkService/UnaryCall"));
    return command;
  }

  static void run(Path h2load, RunSettings settings, ServerProcess server, RunResult result)
      throws Exception {
    Path body = Files.createTempFile("grpc-spring-h2load-", ".bin");
    try {
      Files.write(body, requestBody(result.scenario));
      Parsed parsed = new Parsed();
      ExternalDriverRun.Exit exit = ExternalDriverRun.run(settings, server, result, "h2load",
          settings.pinning().client(command(h2load, result.scenario, server.port(), body, settings)),
          parsed::accept);
      if (exit.code() != 0 || Double.isNaN(parsed.qps) || parsed.succeeded < 0) {
        throw new IllegalStateException("h2load exited with code " + exit.code()
            + " without its summary: " + exit.lastErrors());
      }
      result.qps = parsed.qps;
      result.meanMicros = parsed.meanMicros;
      result.failures = parsed.failed;
      if (parsed.failed > 0) {
        result.firstFailure = parsed.failed + " requests failed (non-2xx or reset), "
            + parsed.errored + " errored, " + parsed.timeout + " timed out";
      } else if (parsed.succeeded == 0) {
        result.failures = 1;
        result.firstFailure = "h2load completed no request";
      }
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /** What h2load's summary says. */
  static final class Parsed {
    double qps = Double.NaN;
    double meanMicros = Double.NaN;
    long succeeded = -1;
    long failed;
    long errored;
    long timeout;

    void accept(String line) {
      String trimmed = line.trim();
      Matcher m = FINISHED.matcher(trimmed);
      if (m.lookingAt()) {
        qps = Double.parseDouble(m.group(1));
        return;
      }
      m = REQUESTS.matcher(trimmed);
      if (m.lookingAt()) {
        succeeded = Long.parseLong(m.group(4));
        failed = Long.parseLong(m.group(5));
        errored = Long.parseLong(m.group(6));
        timeout = Long.parseLong(m.group(7));
        return;
      }
      m = TIME_FOR_REQUEST.matcher(trimmed);
      if (m.lookingAt()) {
        meanMicros = micros(m.group(3));
      }
    }
  }

  /** Reads h2load's {@code 812us}, {@code 1.31ms}, {@code 2.05s}. */
  static double micros(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.endsWith("us")) {
      return Double.parseDouble(v.substring(0, v.length() - 2));
    }
    if (v.endsWith("ms")) {
      return Double.parseDouble(v.substring(0, v.length() - 2)) * 1e3;
    }
    if (v.endsWith("s")) {
      return Double.parseDouble(v.substring(0, v.length() - 1)) * 1e6;
    }
    throw new IllegalStateException("h2load printed an unreadable time: " + value);
  }
}
