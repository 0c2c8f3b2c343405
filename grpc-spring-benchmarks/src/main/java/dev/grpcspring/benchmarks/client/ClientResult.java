package dev.grpcspring.benchmarks.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one measured client run produced. It travels from a client process to the compare harness
 * as one {@link #RESULT_PREFIX} line of {@code key=value} pairs.
 */
public final class ClientResult {
  /** Start of the machine-readable result line. */
  public static final String RESULT_PREFIX = "RESULT ";

  public final long calls;
  public final long failures;
  public final double seconds;
  public final double p50Micros;
  public final double p90Micros;
  public final double p99Micros;
  public final double p999Micros;
  public final double maxMicros;
  public final double clientAllocBytesPerCall;
  public final String firstFailure;

  public ClientResult(
      long calls,
      long failures,
      double seconds,
      double p50Micros,
      double p90Micros,
      double p99Micros,
      double p999Micros,
      double maxMicros,
      double clientAllocBytesPerCall,
      String firstFailure) {
    this.calls = calls;
    this.failures = failures;
    this.seconds = seconds;
    this.p50Micros = p50Micros;
    this.p90Micros = p90Micros;
    this.p99Micros = p99Micros;
    this.p999Micros = p999Micros;
    this.maxMicros = maxMicros;
    this.clientAllocBytesPerCall = clientAllocBytesPerCall;
    this.firstFailure = firstFailure;
  }

  /** Completed calls (or ping-pong messages) per second of the measured window. */
  public double qps() {
    return seconds > 0 ? calls / seconds : 0;
  }

  /** The {@link #RESULT_PREFIX} line. The failure text goes last, as it may hold spaces. */
  public String toLine() {
    return RESULT_PREFIX
        + String.format(
            Locale.ROOT,
            "calls=%d failures=%d seconds=%.3f p50us=%.1f p90us=%.1f p99us=%.1f p999us=%.1f"
                + " maxus=%.1f clientAllocBytesPerCall=%.1f",
            calls, failures, seconds, p50Micros, p90Micros, p99Micros, p999Micros, maxMicros,
            clientAllocBytesPerCall)
        + (firstFailure == null ? "" : " firstFailure=" + firstFailure.replace('\n', ' '));
  }

  /** Reads a line written by {@link #toLine()}. */
  public static ClientResult parse(String line) {
    if (!line.startsWith(RESULT_PREFIX)) {
      throw new IllegalArgumentException("Not a result line: " + line);
    }
    String body = line.substring(RESULT_PREFIX.length());
    String failure = null;
    int f = body.indexOf(" firstFailure=");
    if (f >= 0) {
      failure = body.substring(f + " firstFailure=".length());
      body = body.substring(0, f);
    }
    Map<String, String> kv = keyValues(body);
    return new ClientResult(
        Long.parseLong(kv.get("calls")),
        Long.parseLong(kv.get("failures")),
        Double.parseDouble(kv.get("seconds")),
        Double.parseDouble(kv.get("p50us")),
        Double.parseDouble(kv.get("p90us")),
        Double.parseDouble(kv.get("p99us")),
        Double.parseDouble(kv.get("p999us")),
        Double.parseDouble(kv.get("maxus")),
        Double.parseDouble(kv.get("clientAllocBytesPerCall")),
        failure);
  }

  /** Splits {@code a=1 b=2} into a map; fails on a token without '='. */
  public static Map<String, String> keyValues(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String token : text.trim().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("Expected key=value, got '" + token + "' in: " + text);
      }
      map.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return map;
  }
}
