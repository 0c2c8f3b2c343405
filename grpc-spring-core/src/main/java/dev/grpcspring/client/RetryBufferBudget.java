package dev.grpcspring.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The channel-wide limit on bytes kept for replay by uncommitted calls (gRFC A6's per-channel
 * retry buffer). A call that cannot fit its next message commits instead of buffering it.
 */
final class RetryBufferBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  RetryBufferBudget(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes}; false (and nothing reserved) if the channel's limit would be passed. */
  boolean tryReserve(long bytes) {
    while (true) {
      long u = used.get();
      if (u + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }
}
