package dev.grpcspring.channelz;

import java.util.concurrent.atomic.LongAdder;

/**
 * How a channel's calls used their attempts (gRFC A6): every attempt made, and of those the
 * transparent retries, the retries under a {@code retryPolicy} and the hedges under a {@code
 * hedgingPolicy}; plus the retries and hedges that retry throttling refused. Channelz's {@code
 * ChannelData} has no fields for these, so they are kept beside it, on the channel's entity.
 * Striped adders: counting never contends on the call path.
 */
public final class AttemptCounters {
  private final LongAdder attempts = new LongAdder();
  private final LongAdder transparentRetries = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder hedges = new LongAdder();
  private final LongAdder throttled = new LongAdder();

  /** An attempt was made: the first of a call, or one of the kinds counted below. */
  public void attemptMade() {
    attempts.increment();
  }

  /** A transparent retry was made (the server never processed the attempt before). */
  public void transparentRetry() {
    transparentRetries.increment();
  }

  /** A retry under the method's retry policy was made. */
  public void retry() {
    retries.increment();
  }

  /** A hedge (an attempt after the first under the method's hedging policy) was made. */
  public void hedge() {
    hedges.increment();
  }

  /** A retry or hedge was not made because retry throttling refused it. */
  public void throttled() {
    throttled.increment();
  }

  /** Attempts made, of every kind. */
  public long attempts() {
    return attempts.sum();
  }

  /** Transparent retries made. */
  public long transparentRetries() {
    return transparentRetries.sum();
  }

  /** Retries made under a retry policy. */
  public long retries() {
    return retries.sum();
  }

  /** Hedges made under a hedging policy. */
  public long hedges() {
    return hedges.sum();
  }

  /** Retries and hedges refused by retry throttling. */
  public long throttledRetries() {
    return throttled.sum();
  }
}
