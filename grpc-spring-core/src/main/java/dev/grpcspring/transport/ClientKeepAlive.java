package dev.grpcspring.transport;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A channel's client keepalive settings (gRFC A8), shared by all its connections. The time can
 * only grow: when a server answers with GOAWAY(ENHANCE_YOUR_CALM, "too_many_pings"), it doubles
 * for the channel's next connections, and that is logged once per channel.
 */
public final class ClientKeepAlive {
  private static final Logger log = Logger.getLogger(ClientKeepAlive.class.getName());
  /** "Never". */
  public static final long DISABLED_NANOS = Long.MAX_VALUE;

  private final AtomicLong timeNanos;
  private final long timeoutNanos;
  private final boolean withoutCalls;
  private final AtomicBoolean backoffLogged = new AtomicBoolean();

  /**
   * @param timeNanos quiet time before a PING, or {@link #DISABLED_NANOS}
   * @param timeoutNanos how long the PING may go unanswered before the connection is closed
   * @param withoutCalls whether to ping with no call open
   */
  public ClientKeepAlive(long timeNanos, long timeoutNanos, boolean withoutCalls) {
    if (timeNanos <= 0 || timeoutNanos <= 0) {
      throw new IllegalArgumentException("keepalive time and timeout must be positive, not "
          + timeNanos + " and " + timeoutNanos + " ns");
    }
    this.timeNanos = new AtomicLong(timeNanos);
    this.timeoutNanos = timeoutNanos;
    this.withoutCalls = withoutCalls;
  }

  /** Keepalive off (the default, as in gRFC A8). */
  public static ClientKeepAlive disabled() {
    return new ClientKeepAlive(DISABLED_NANOS, 20_000_000_000L, false);
  }

  /** Settings from durations; a null {@code time} means keepalive is off. */
  public static ClientKeepAlive of(@Nullable Duration time, Duration timeout, boolean withoutCalls) {
    return time == null ? disabled()
        : new ClientKeepAlive(saturatedNanos(time), saturatedNanos(timeout), withoutCalls);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return DISABLED_NANOS; // beyond ~292 years: never
    }
  }

  /** The time new connections use. */
  public long timeNanos() {
    return timeNanos.get();
  }

  public long timeoutNanos() {
    return timeoutNanos;
  }

  public boolean withoutCalls() {
    return withoutCalls;
  }

  public boolean enabled() {
    return timeNanos.get() != DISABLED_NANOS;
  }

  /** The server said we ping too often: double the time (saturating) for new connections. */
  void onTooManyPings(SocketAddress server) {
    if (!enabled()) {
      log.fine("The server at " + server + " sent GOAWAY(ENHANCE_YOUR_CALM, too_many_pings), "
          + "but this channel sends no keepalive PINGs");
      return;
    }
    long after = timeNanos.updateAndGet(
        t -> t == DISABLED_NANOS || t > DISABLED_NANOS / 2 ? DISABLED_NANOS : t * 2);
    if (backoffLogged.compareAndSet(false, true)) {
      log.warning("The server at " + server + " sent GOAWAY(ENHANCE_YOUR_CALM, too_many_pings): "
          + "the keepalive time of this channel doubles to " + Duration.ofNanos(after)
          + " for new connections (logged once per channel). Raise the client's keepalive time "
          + "or the server's permitted keepalive time");
    }
  }
}
