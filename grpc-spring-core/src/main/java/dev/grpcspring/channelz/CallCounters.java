package dev.grpcspring.channelz;

import java.util.concurrent.atomic.LongAdder;

/**
 * Call counters of a channel, subchannel or server (channelz's {@code calls_started}, {@code
 * calls_succeeded}, {@code calls_failed} and {@code last_call_started_timestamp}). Striped adders
 * and one volatile write per call, so that counting never contends on the call path.
 */
public final class CallCounters {
  private final LongAdder started = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile long lastCallStartedMillis;

  /** A call started now. */
  public void callStarted() {
    started.increment();
    lastCallStartedMillis = System.currentTimeMillis();
  }

  /** A call ended: with status OK when {@code ok}, otherwise failed. */
  public void callEnded(boolean ok) {
    (ok ? succeeded : failed).increment();
  }

  /** Calls started so far. */
  public long callsStarted() {
    return started.sum();
  }

  /** Calls that ended with OK. */
  public long callsSucceeded() {
    return succeeded.sum();
  }

  /** Calls that ended with any other status. */
  public long callsFailed() {
    return failed.sum();
  }

  /** When the last call started (epoch milliseconds), or 0 if none has. */
  public long lastCallStartedMillis() {
    return lastCallStartedMillis;
  }
}
