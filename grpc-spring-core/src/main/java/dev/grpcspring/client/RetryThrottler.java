package dev.grpcspring.client;

import dev.grpcspring.serviceconfig.RetryThrottlingPolicy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's retry token bucket (gRFC A6 {@code retryThrottling}). Tokens are kept in thousandths,
 * as A6 defines the arithmetic (a {@code tokenRatio} has at most three decimals), so the count is
 * exact. It starts full; a qualifying failure costs one token, a successful call adds {@code
 * tokenRatio}, and the count stays within {@code [0, maxTokens]}. Retries are allowed only while
 * the count is above half of {@code maxTokens}. Thread-safe.
 */
final class RetryThrottler {
  private final RetryThrottlingPolicy policy;
  private final int max;
  private final int threshold;
  private final int ratio;
  private final AtomicInteger tokens;

  RetryThrottler(RetryThrottlingPolicy policy) {
    this.policy = policy;
    this.max = policy.maxTokens() * 1000;
    this.threshold = max / 2;
    this.ratio = (int) Math.round(policy.tokenRatio() * 1000);
    this.tokens = new AtomicInteger(max);
  }

  RetryThrottlingPolicy policy() {
    return policy;
  }

  /** A failure that counts (a retryable code, or pushback saying stop); true if retries may go on. */
  boolean onFailureThenAllowsRetry() {
    int now = tokens.updateAndGet(t -> Math.max(0, t - 1000));
    return now > threshold;
  }

  /** A call on the channel succeeded. */
  void onSuccess() {
    tokens.updateAndGet(t -> Math.min(max, t + ratio));
  }

  /** Whether retries are allowed now. */
  boolean allowsRetry() {
    return tokens.get() > threshold;
  }

  /** The count in thousandths of a token, for tests and diagnostics. */
  int tokensInThousandths() {
    return tokens.get();
  }

  @Override
  public String toString() {
    return "RetryThrottler{tokens=" + tokens.get() / 1000.0 + ", " + policy + "}";
  }
}
