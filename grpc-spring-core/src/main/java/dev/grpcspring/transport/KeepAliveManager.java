package dev.grpcspring.transport;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends keepalive PINGs on one connection (gRFC A8, PROTOCOL.md §1.10), for clients and servers:
 * a PING when nothing has been read for {@code time}, and {@link Pinger#onPingTimeout()} when
 * nothing at all has been read {@code timeout} after it. Time counts from the last byte read,
 * never from the last PING sent, so a busy connection sends none. With no call open and without
 * {@code withoutCalls}, it goes dormant; the first new call then pings at once if the connection
 * has been quiet for longer than {@code time}. Event loop only.
 */
final class KeepAliveManager {
  /** What a connection does for its keepalive. */
  interface Pinger {
    /** Writes and flushes a keepalive PING. */
    void ping();

    /** The PING went unanswered (nothing read) for the timeout: close the connection. */
    void onPingTimeout();
  }

  private final EventExecutor executor;
  private final Pinger pinger;
  private final long timeNanos;
  private final long timeoutNanos;
  private final boolean withoutCalls;
  private final LongSupplier nanoTime;
  private long lastReadNanos;
  private boolean callsOpen;
  private boolean pingOutstanding;
  private boolean dormant;
  private boolean stopped;
  private @Nullable ScheduledFuture<?> timer;

  KeepAliveManager(EventExecutor executor, Pinger pinger, long timeNanos, long timeoutNanos,
      boolean withoutCalls) {
    this.executor = executor;
    this.pinger = pinger;
    this.timeNanos = timeNanos;
    this.timeoutNanos = timeoutNanos;
    this.withoutCalls = withoutCalls;
    this.nanoTime = System::nanoTime;
  }

  /** The connection is up: the clock starts. */
  void start() {
    lastReadNanos = nanoTime.getAsLong();
    schedule(this::check, timeNanos);
  }

  /** Bytes were read (any frame, a PING ACK included). */
  void onRead() {
    lastReadNanos = nanoTime.getAsLong();
    if (pingOutstanding) {
      pingOutstanding = false;
      cancelTimer();
      schedule(this::check, timeNanos);
    }
  }

  /** The first call opened (streams went from 0 to 1). */
  void onCallsActive() {
    callsOpen = true;
    if (dormant && !stopped) {
      dormant = false;
      long quiet = nanoTime.getAsLong() - lastReadNanos;
      if (quiet >= timeNanos) {
        sendPing();
      } else {
        schedule(this::check, timeNanos - quiet);
      }
    }
  }

  /** The last call ended (streams went to 0). The timer goes on; it stops when it next fires. */
  void onCallsIdle() {
    callsOpen = false;
  }

  /** The connection is closing: no more PINGs. */
  void stop() {
    stopped = true;
    cancelTimer();
  }

  private void check() {
    timer = null;
    if (stopped || pingOutstanding) {
      return;
    }
    long quiet = nanoTime.getAsLong() - lastReadNanos;
    if (quiet < timeNanos) {
      schedule(this::check, timeNanos - quiet);
    } else if (callsOpen || withoutCalls) {
      sendPing();
    } else {
      dormant = true;
    }
  }

  private void sendPing() {
    pingOutstanding = true;
    schedule(this::timedOut, timeoutNanos);
    pinger.ping();
  }

  private void timedOut() {
    timer = null;
    if (!stopped && pingOutstanding) {
      stopped = true;
      pinger.onPingTimeout();
    }
  }

  private void schedule(Runnable task, long delayNanos) {
    cancelTimer();
    timer = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
