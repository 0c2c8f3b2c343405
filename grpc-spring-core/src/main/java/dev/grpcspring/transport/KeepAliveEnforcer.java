package dev.grpcspring.transport;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's keepalive enforcement policy (gRFC A8/A9, PROTOCOL.md §1.10): a PING is valid when
 * at least the permit time has passed since the last valid one (two hours when no call is open and
 * pings without calls are not permitted). Each invalid PING is a strike; a third strike means the
 * client pings too often and the connection ends with GOAWAY(ENHANCE_YOUR_CALM, "too_many_pings").
 * Sending HEADERS or DATA forgives everything, since a client's keepalive timer restarts when it
 * reads. Event loop only.
 */
final class KeepAliveEnforcer {
  /** Strikes allowed before the connection is ended (grpc-java and grpc-go use 2). */
  static final int MAX_PING_STRIKES = 2;
  /** The minimum ping interval without calls when pings without calls are not permitted. */
  static final long IMPLICIT_PERMIT_TIME_NANOS = TimeUnit.HOURS.toNanos(2);

  private final boolean permitWithoutCalls;
  private final long minTimeNanos;
  private final LongSupplier nanoTime;
  private final long epoch;
  private long lastValidPingNanos;
  private int strikes;

  KeepAliveEnforcer(boolean permitWithoutCalls, long minTimeNanos) {
    this(permitWithoutCalls, minTimeNanos, System::nanoTime);
  }

  KeepAliveEnforcer(boolean permitWithoutCalls, long minTimeNanos, LongSupplier nanoTime) {
    if (minTimeNanos < 0) {
      throw new IllegalArgumentException("minTimeNanos must not be negative: " + minTimeNanos);
    }
    this.permitWithoutCalls = permitWithoutCalls;
    this.minTimeNanos = minTimeNanos;
    this.nanoTime = nanoTime;
    // "Never pinged": far enough in the past that the first ping is always valid.
    this.epoch = nanoTime.getAsLong() - Math.max(minTimeNanos, IMPLICIT_PERMIT_TIME_NANOS) - 1;
    this.lastValidPingNanos = epoch;
  }

  /**
   * Judges a received PING.
   *
   * @param callsOpen whether the connection has a stream open
   * @return false when the client has struck out and the connection must end
   */
  boolean pingAcceptable(boolean callsOpen) {
    long now = nanoTime.getAsLong();
    long interval = callsOpen || permitWithoutCalls ? minTimeNanos : IMPLICIT_PERMIT_TIME_NANOS;
    if (now - lastValidPingNanos >= interval) {
      lastValidPingNanos = now;
      return true;
    }
    strikes++;
    return strikes <= MAX_PING_STRIKES;
  }

  /** We sent HEADERS or DATA: the client's next ping is fine whenever it comes. */
  void resetCounters() {
    lastValidPingNanos = epoch;
    strikes = 0;
  }
}
