package dev.grpcspring.client;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.serviceconfig.HedgingPolicy;
import org.jspecify.annotations.Nullable;

/**
 * One call's hedges (gRFC A6 {@code hedgingPolicy}): how many attempts were sent, whether more may
 * be, and what an attempt that failed before the call committed means. A status outside {@code
 * nonFatalStatusCodes} is fatal: it ends the call. A non-fatal one counts as a failure for
 * throttling and lets the next hedge go at once, or after the server's pushback ({@code
 * grpc-retry-pushback-ms}); a negative or invalid pushback sends no more hedges, and the attempts
 * still out go on. Guarded by the call's lock.
 */
final class HedgingState {
  /** {@link #onAttemptFailed}: the status ends the call. */
  static final long FATAL = -1;
  /** {@link #onAttemptFailed}: no further hedge will be sent; wait for the attempts still out. */
  static final long NO_MORE = -2;

  private final HedgingPolicy policy;
  private final int maxAttempts;
  private final @Nullable RetryThrottler throttler;
  private int sent = 1;
  private boolean stopped;

  /**
   * @param policy the method's hedging policy
   * @param channelMaxAttempts the channel's cap on attempts per call
   * @param throttler the channel's token bucket, or null when throttling is off
   */
  HedgingState(
      HedgingPolicy policy, int channelMaxAttempts, @Nullable RetryThrottler throttler) {
    this.policy = policy;
    this.maxAttempts = Math.min(policy.maxAttempts(), channelMaxAttempts);
    this.throttler = throttler;
  }

  long delayNanos() {
    return policy.hedgingDelay().toNanos();
  }

  /** Whether the policy allows no more hedges (all sent, or pushback said stop). */
  boolean exhausted() {
    return stopped || sent >= maxAttempts;
  }

  /** Whether retry throttling refuses hedges now. */
  boolean throttled() {
    return throttler != null && !throttler.allowsRetry();
  }

  /** Counts a hedge as sent; returns its {@code grpc-previous-rpc-attempts}. */
  int hedgeSent() {
    return sent++;
  }

  /**
   * An uncommitted attempt ended with {@code status}: {@link #FATAL}, {@link #NO_MORE}, or the
   * delay in nanoseconds before the next hedge (0: now).
   */
  long onAttemptFailed(Status status, Metadata trailers) {
    if (status.isOk() || !policy.nonFatalStatusCodes().contains(status.getCode())) {
      return FATAL;
    }
    if (throttler != null) {
      throttler.onFailureThenAllowsRetry(); // the next hedge checks the bucket when it is due
    }
    long pushbackMs = RetryState.pushbackMillis(trailers);
    if (pushbackMs == RetryState.STOP) {
      stopped = true;
    }
    if (exhausted()) {
      return NO_MORE;
    }
    return pushbackMs >= 0 ? pushbackMs * 1_000_000L : 0;
  }
}
