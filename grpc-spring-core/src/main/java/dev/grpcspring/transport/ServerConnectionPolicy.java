package dev.grpcspring.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a server manages each connection: its own keepalive pings, how often it lets clients ping,
 * how long a connection may stay idle or live, and the flood limits that end a connection with
 * GOAWAY(ENHANCE_YOUR_CALM). Durations are in nanoseconds; {@link #INFINITE} disables one.
 *
 * @param keepAliveTimeNanos how long the connection may be quiet before the server sends a PING
 *     (gRFC A8 default two hours)
 * @param keepAliveTimeoutNanos how long that PING may go unanswered before the connection is
 *     closed (default 20 s)
 * @param permitKeepAliveTimeNanos the shortest interval between client PINGs the server accepts
 *     (default 5 min); more frequent PINGs are strikes (see {@link KeepAliveEnforcer})
 * @param permitKeepAliveWithoutCalls whether clients may ping at that rate with no call open;
 *     otherwise the interval is two hours then
 * @param maxConnectionIdleNanos how long a connection may have no call open before it is drained
 *     with GOAWAY(NO_ERROR, "max_idle")
 * @param maxConnectionAgeNanos how long a connection may live before it is drained with
 *     GOAWAY(NO_ERROR, "max_age"), ±10% jitter per connection
 * @param maxConnectionAgeGraceNanos how long calls may still run after the age is reached before
 *     the connection is closed
 * @param maxRstFramesPerWindow how many RST_STREAM frames a client may send per window before the
 *     connection ends (rapid reset, CVE-2023-44487); 0 disables the limit
 * @param rstWindowNanos the window for {@code maxRstFramesPerWindow}
 * @param maxQueuedControlFrames how many SETTINGS ACK, PING ACK and RST_STREAM frames may wait
 *     unwritten because the client does not read (SETTINGS and PING floods)
 * @param maxConsecutiveEmptyDataFrames how many DATA frames without payload or END_STREAM may come
 *     in a row
 * @param maxSmallContinuationFrames how many small CONTINUATION frames one header block may have
 */
public record ServerConnectionPolicy(
    long keepAliveTimeNanos,
    long keepAliveTimeoutNanos,
    long permitKeepAliveTimeNanos,
    boolean permitKeepAliveWithoutCalls,
    long maxConnectionIdleNanos,
    long maxConnectionAgeNanos,
    long maxConnectionAgeGraceNanos,
    int maxRstFramesPerWindow,
    long rstWindowNanos,
    int maxQueuedControlFrames,
    int maxConsecutiveEmptyDataFrames,
    int maxSmallContinuationFrames) {
  /** A duration that means "never". */
  public static final long INFINITE = Long.MAX_VALUE;

  /**
   * The defaults: gRFC A8/A9's keepalive values (2 h time, 20 s timeout, 5 min permit time, no
   * pings without calls), no idle or age limit. Flood limits: 1000 RST_STREAM per 10 s (100 per
   * second sustained is far beyond any client's cancellations, and far below a rapid-reset attack,
   * which sends hundreds of thousands), 10,000 queued control frames and 16 small CONTINUATION
   * frames (Netty's own defaults), and 10 empty DATA frames in a row (Netty's default of 2 is
   * stricter than any client needs, but some send an empty frame before a half-close).
   */
  public static final ServerConnectionPolicy DEFAULT = new ServerConnectionPolicy(
      TimeUnit.HOURS.toNanos(2), TimeUnit.SECONDS.toNanos(20), TimeUnit.MINUTES.toNanos(5), false,
      INFINITE, INFINITE, INFINITE, 1000, TimeUnit.SECONDS.toNanos(10), 10_000, 10, 16);

  public ServerConnectionPolicy {
    positive(keepAliveTimeNanos, "keepAliveTime");
    positive(keepAliveTimeoutNanos, "keepAliveTimeout");
    if (permitKeepAliveTimeNanos < 0) {
      throw new IllegalArgumentException(
          "permitKeepAliveTime must not be negative: " + Duration.ofNanos(permitKeepAliveTimeNanos));
    }
    positive(maxConnectionIdleNanos, "maxConnectionIdle");
    positive(maxConnectionAgeNanos, "maxConnectionAge");
    if (maxConnectionAgeGraceNanos < 0) {
      throw new IllegalArgumentException("maxConnectionAgeGrace must not be negative");
    }
    if (maxRstFramesPerWindow < 0) {
      throw new IllegalArgumentException("maxRstFramesPerWindow must not be negative");
    }
    positive(rstWindowNanos, "rstWindow");
    positive(maxQueuedControlFrames, "maxQueuedControlFrames");
    positive(maxConsecutiveEmptyDataFrames, "maxConsecutiveEmptyDataFrames");
    positive(maxSmallContinuationFrames, "maxSmallContinuationFrames");
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
