package dev.grpcspring.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Grows the receive windows to the connection's bandwidth-delay product (grpc-go's {@code bdp}
 * estimator, grpc-java's flow-control pinger). While data arrives, a PING measures how much data
 * comes in during one round trip; when twice that exceeds the window and the bandwidth rose, the
 * connection window and every stream's window grow to it (up to {@link #MAX_WINDOW}), and the
 * peer learns the new stream window through SETTINGS. A fixed 1 MiB window otherwise caps one
 * stream at 1 MiB per round trip, which is what limits large messages on fast links.
 *
 * <p>A measurement starts only once an eighth of the window has arrived since the last one, so a
 * connection carrying small calls sends no extra PINGs. Runs on the channel's event loop only.
 */
final class BdpPinger {
  /** PING payload that marks a BDP measurement (the value grpc-java and grpc-go use). */
  static final long PING_DATA = 1234;
  /** The largest window this grows to, as grpc-java and grpc-go. */
  static final int MAX_WINDOW = 8 * 1024 * 1024;

  private final Http2ConnectionHandler handler;
  private boolean pinging;
  private long pingSentNanos;
  /** Bytes received since the last measurement ended, to decide when to start the next. */
  private long sinceLastMeasurement;
  /** Bytes received while the current PING is out. */
  private long duringPing;
  private long bestBandwidth;

  BdpPinger(Http2ConnectionHandler handler) {
    this.handler = handler;
  }

  /** Counts received DATA (payload and padding); may start a measurement. */
  void onDataRead(ChannelHandlerContext ctx, int bytes) {
    if (pinging) {
      duringPing += bytes;
      return;
    }
    sinceLastMeasurement += bytes;
    if (sinceLastMeasurement >= currentWindow() / 8) {
      pinging = true;
      duringPing = bytes;
      pingSentNanos = System.nanoTime();
      // Flushed with the rest of this read's replies when the read completes.
      handler.encoder().writePing(ctx, false, PING_DATA, ctx.newPromise());
    }
  }

  /**
   * Handles a PING ACK.
   *
   * @return whether it was ours (otherwise the handler handles it)
   */
  boolean onPingAckRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    if (data != PING_DATA || !pinging) {
      return false;
    }
    pinging = false;
    sinceLastMeasurement = 0;
    long elapsed = Math.max(1, System.nanoTime() - pingSentNanos);
    long bandwidth = duringPing * 1_000_000_000L / elapsed;
    int target = (int) Math.min(duringPing * 2, MAX_WINDOW);
    int current = currentWindow();
    if (bandwidth <= bestBandwidth || target <= current) {
      return true;
    }
    bestBandwidth = bandwidth;
    Http2LocalFlowController flow = handler.decoder().flowController();
    Http2Stream connection = handler.connection().connectionStream();
    flow.incrementWindowSize(connection, target - current);
    flow.initialWindowSize(target);
    // Written past the encoder so the peer's ACK does not re-apply it.
    handler.encoder().frameWriter().writeSettings(ctx,
        new Http2Settings().initialWindowSize(target), ctx.newPromise());
    ctx.flush();
    return true;
  }

  private int currentWindow() {
    return handler.decoder().flowController()
        .initialWindowSize(handler.connection().connectionStream());
  }
}
