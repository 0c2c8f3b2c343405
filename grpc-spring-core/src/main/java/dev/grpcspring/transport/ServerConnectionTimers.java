package dev.grpcspring.transport;

import dev.grpcspring.Status;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The timers of one server connection (gRFC A9, PROTOCOL.md §1.10): the server's own keepalive
 * PINGs (calls or not), the idle limit (counted from when the last call ended; ends in a graceful
 * GOAWAY "max_idle"), and the age limit (±10% jitter per connection so that clients do not all
 * reconnect at once; a graceful GOAWAY "max_age", then a hard close once the grace has passed).
 * Event loop only.
 */
final class ServerConnectionTimers {
  private final Http2Server handler;
  private final ServerConnectionPolicy policy;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable KeepAliveManager keepAlive;
  private @Nullable ScheduledFuture<?> idleTimer;
  private @Nullable ScheduledFuture<?> ageTimer;
  private @Nullable ScheduledFuture<?> graceTimer;
  private boolean stopped;

  ServerConnectionTimers(Http2Server handler, ServerConnectionPolicy policy) {
    this.handler = handler;
    this.policy = policy;
  }

  /** The connection is up. */
  void start(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (policy.keepAliveTimeNanos() != ServerConnectionPolicy.INFINITE) {
      keepAlive = new KeepAliveManager(ctx.executor(), new KeepAliveManager.Pinger() {
        @Override
        public void ping() {
          handler.stats().keepAliveSent();
          handler.encoder().writePing(ctx, false, Http2Server.KEEPALIVE_PING,
              ctx.newPromise());
          ctx.flush();
        }

        @Override
        public void onPingTimeout() {
          // PROTOCOL.md 1.8: the server's calls end CANCELLED when its PING goes unanswered.
          handler.forceClose(Status.CANCELLED.withDescription("Keepalive PING to the client not "
              + "answered within " + Duration.ofNanos(policy.keepAliveTimeoutNanos())
              + "; the connection is considered broken"));
        }
      }, policy.keepAliveTimeNanos(), policy.keepAliveTimeoutNanos(), true);
      keepAlive.start();
    }
    scheduleIdle();
    if (policy.maxConnectionAgeNanos() != ServerConnectionPolicy.INFINITE) {
      ageTimer = ctx.executor().schedule(this::ageReached,
          jittered(policy.maxConnectionAgeNanos()), TimeUnit.NANOSECONDS);
    }
  }

  /** The connection's context: timers run only once {@link #start} has set it. */
  private ChannelHandlerContext ctx() {
    return Objects.requireNonNull(ctx, "the timers have not started");
  }

  /** ±10%, uniformly. */
  static long jittered(long nanos) {
    double factor = 0.9 + 0.2 * ThreadLocalRandom.current().nextDouble();
    double value = nanos * factor;
    return value >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) value);
  }

  /** Bytes were read. */
  void onRead() {
    if (keepAlive != null) {
      keepAlive.onRead();
    }
  }

  /** A stream became active: the connection is no longer idle. */
  void onStreamActive() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  /** A stream closed; {@code activeStreams} remain. */
  void onStreamClosed(int activeStreams) {
    if (activeStreams == 0) {
      scheduleIdle();
    }
  }

  /** The connection is gone. */
  void stop() {
    stopped = true;
    if (keepAlive != null) {
      keepAlive.stop();
    }
    cancel(idleTimer);
    cancel(ageTimer);
    cancel(graceTimer);
  }

  private void scheduleIdle() {
    if (stopped || policy.maxConnectionIdleNanos() == ServerConnectionPolicy.INFINITE
        || idleTimer != null) {
      return;
    }
    idleTimer = ctx().executor().schedule(() -> {
      idleTimer = null;
      handler.gracefulShutdown("max_idle");
    }, policy.maxConnectionIdleNanos(), TimeUnit.NANOSECONDS);
  }

  private void ageReached() {
    if (stopped) {
      return;
    }
    handler.gracefulShutdown("max_age");
    if (policy.maxConnectionAgeGraceNanos() != ServerConnectionPolicy.INFINITE) {
      graceTimer = ctx().executor().schedule(() -> handler.forceClose(Status.CANCELLED
              .withDescription("The connection reached its maximum age and the calls still open "
                  + "after the grace period of "
                  + Duration.ofNanos(policy.maxConnectionAgeGraceNanos()) + " are cancelled")),
          policy.maxConnectionAgeGraceNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static void cancel(@Nullable ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
