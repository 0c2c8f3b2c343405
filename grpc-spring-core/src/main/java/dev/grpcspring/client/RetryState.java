package dev.grpcspring.client;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.serviceconfig.RetryPolicy;
import dev.grpcspring.protocol.CallHeader;
import dev.grpcspring.protocol.GrpcHeaders;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One call's configured retries (gRFC A6 {@code retryPolicy}): how many attempts were made, the
 * next backoff, and whether a failed attempt is retried and after how long. Transparent retries are
 * not counted here. Guarded by the call's lock.
 *
 * <p>The wait before retry n is a uniform random in {@code [0, b]}, with {@code b = min(initialBackoff
 * * multiplier^(n-1), maxBackoff)} (A6's formula); server pushback ({@code grpc-retry-pushback-ms})
 * replaces it with the server's value and restarts the sequence at {@code initialBackoff}, or, when
 * negative or not a number, ends the retries.
 */
final class RetryState {
  /** What {@link #onAttemptFailed} returns when the call must not be retried. */
  static final long NO_RETRY = -1;

  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of(GrpcHeaders.GRPC_RETRY_PUSHBACK_MS.toString(), Metadata.ASCII_STRING_MARSHALLER);

  private final @Nullable RetryPolicy policy;
  private final int maxAttempts;
  private final @Nullable RetryThrottler throttler;
  private final DoubleSupplier random;
  private int attempts = 1;
  private long nextBackoffNanos;
  private boolean lastThrottled;

  /**
   * @param policy the method's retry policy, or null for none (then nothing is retried)
   * @param channelMaxAttempts the channel's cap on attempts per call
   * @param throttler the channel's token bucket, or null when throttling is off
   * @param random uniform in {@code [0, 1)}
   */
  RetryState(@Nullable RetryPolicy policy, int channelMaxAttempts, @Nullable RetryThrottler throttler,
      DoubleSupplier random) {
    this.policy = policy;
    this.maxAttempts = policy == null ? 1 : Math.min(policy.maxAttempts(), channelMaxAttempts);
    this.throttler = throttler;
    this.random = random;
    this.nextBackoffNanos = policy == null ? 0 : policy.initialBackoff().toNanos();
  }

  /** Whether the last {@link #onAttemptFailed} refused a retry only because of throttling. */
  boolean lastThrottled() {
    return lastThrottled;
  }

  /** Attempts made so far under the policy (the first one included). */
  int attempts() {
    return attempts;
  }

  /**
   * An uncommitted attempt ended with {@code status}: the delay in nanoseconds before the next
   * attempt (which this counts as made), or {@link #NO_RETRY}.
   */
  long onAttemptFailed(Status status, Metadata trailers) {
    lastThrottled = false;
    if (policy == null || status.isOk()) {
      return NO_RETRY;
    }
    boolean retryable = policy.retryableStatusCodes().contains(status.getCode());
    long pushbackMs = pushbackMillis(trailers);
    boolean pushbackStops = pushbackMs == STOP;
    if (!retryable && !pushbackStops) {
      return NO_RETRY;
    }
    // Both kinds count as failures for throttling (A6), even when no attempt is left.
    boolean throttled = throttler != null && !throttler.onFailureThenAllowsRetry();
    lastThrottled = throttled && retryable && !pushbackStops && attempts < maxAttempts;
    if (!retryable || pushbackStops || throttled || attempts >= maxAttempts) {
      return NO_RETRY;
    }
    attempts++;
    long initial = policy.initialBackoff().toNanos();
    if (pushbackMs >= 0) {
      nextBackoffNanos = initial;
      return pushbackMs * 1_000_000L;
    }
    long delay = (long) (random.getAsDouble() * nextBackoffNanos);
    double grown = nextBackoffNanos * policy.backoffMultiplier();
    nextBackoffNanos = (long) Math.min(grown, (double) policy.maxBackoff().toNanos());
    return delay;
  }

  /** The request headers of an attempt: the call's, plus {@code grpc-previous-rpc-attempts} on a retry. */
  static CallHeader headerFor(CallHeader base, int previousAttempts) {
    if (previousAttempts == 0) {
      return base;
    }
    Metadata md = new Metadata();
    md.merge(base.metadata());
    md.discardAll(GrpcHeaders.GRPC_PREVIOUS_RPC_ATTEMPTS.toString());
    md.putAscii(GrpcHeaders.GRPC_PREVIOUS_RPC_ATTEMPTS.toString(), Integer.toString(previousAttempts));
    return new CallHeader(base.path(), base.authority(), base.deadline(), base.contentSubtype(),
        base.sendCompress(), base.acceptEncoding(), base.userAgent(), md);
  }

  /** {@link #pushbackMillis}: no pushback. */
  static final long ABSENT = -1;
  /** {@link #pushbackMillis}: pushback says stop. */
  static final long STOP = -2;

  /** The server's pushback: ABSENT, STOP (negative or not a number), or the millis to wait. */
  static long pushbackMillis(Metadata trailers) {
    List<String> values = trailers.getAll(PUSHBACK);
    if (values == null || values.isEmpty()) {
      return ABSENT;
    }
    if (values.size() > 1) {
      return STOP; // ambiguous: A6 allows only one value
    }
    String v = values.get(0).trim();
    // A signed 32-bit decimal without extra leading zeros.
    if (!v.matches("-?(0|[1-9][0-9]{0,9})")) {
      return STOP;
    }
    long ms = Long.parseLong(v);
    if (ms < 0 || ms > Integer.MAX_VALUE) {
      return STOP;
    }
    return ms;
  }
}
