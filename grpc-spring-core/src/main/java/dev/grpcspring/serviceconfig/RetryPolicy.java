package dev.grpcspring.serviceconfig;

import dev.grpcspring.Code;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A method's {@code retryPolicy} (gRFC A6).
 *
 * @param maxAttempts attempts including the first, 2 to 5 (larger configured values are capped)
 * @param initialBackoff the base wait before the first retry, positive
 * @param maxBackoff the cap on the wait before any retry, positive
 * @param backoffMultiplier growth of the wait per retry, positive
 * @param retryableStatusCodes the codes that may be retried, never empty
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double backoffMultiplier,
    Set<Code> retryableStatusCodes) {
  /** The client-side cap on attempts (grpc-java and grpc-go default). */
  public static final int MAX_ATTEMPTS_LIMIT = 5;

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    retryableStatusCodes = Set.copyOf(retryableStatusCodes);
  }

  static RetryPolicy parse(JsonObject o) {
    int maxAttempts = ServiceConfigParser.maxAttempts(o);
    Duration initial = positiveDuration(o, "initialBackoff");
    Duration max = positiveDuration(o, "maxBackoff");
    Double multiplier = o.number("backoffMultiplier");
    if (multiplier == null || !(multiplier > 0)) {
      throw new IllegalArgumentException(
          o.path("backoffMultiplier") + " is required and must be > 0, got " + multiplier);
    }
    Set<Code> codes = o.codes("retryableStatusCodes");
    if (codes == null || codes.isEmpty()) {
      throw new IllegalArgumentException(o.path("retryableStatusCodes") + " is required and must not be empty");
    }
    return new RetryPolicy(maxAttempts, initial, max, multiplier, codes);
  }

  private static Duration positiveDuration(JsonObject o, String key) {
    Duration d = o.duration(key);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(o.path(key) + " is required and must be > 0, got " + d);
    }
    return d;
  }
}
