package dev.grpcspring.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The server connection's defences against a peer that floods it. Wraps the encoder: it counts
 * SETTINGS ACK, PING ACK and RST_STREAM frames that wait unwritten (a peer that sends SETTINGS or
 * PINGs but does not read makes us queue their ACKs without bound). Also counts, on the read side, RST_STREAM frames per window (rapid reset) and consecutive empty DATA
 * frames. Every limit ends the connection with GOAWAY(ENHANCE_YOUR_CALM). Netty has the same
 * limits in classes its handler builder uses, but they are not public and our handlers assemble
 * their codec themselves. Event loop only.
 */
final class ServerFrameGuard extends DecoratingHttp2ConnectionEncoder {
  private final ServerConnectionPolicy policy;
  private final LongSupplier nanoTime;
  private @Nullable Http2LifecycleManager lifecycleManager;
  private int queuedControlFrames;
  private boolean limitReached;
  private long rstWindowStart;
  private int rstInWindow;
  private int emptyDataInARow;

  ServerFrameGuard(Http2ConnectionEncoder delegate, ServerConnectionPolicy policy,
      LongSupplier nanoTime) {
    super(delegate);
    this.policy = policy;
    this.nanoTime = nanoTime;
    this.rstWindowStart = nanoTime.getAsLong();
  }

  @Override
  public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
    this.lifecycleManager = lifecycleManager;
    super.lifecycleManager(lifecycleManager);
  }

  // ---- write side ----

  @Override
  public ChannelFuture writeSettingsAck(ChannelHandlerContext ctx, ChannelPromise promise) {
    ChannelPromise counted = countControlFrame(ctx, promise);
    return counted == null ? promise : super.writeSettingsAck(ctx, counted);
  }

  @Override
  public ChannelFuture writePing(ChannelHandlerContext ctx, boolean ack, long data,
      ChannelPromise promise) {
    if (!ack) {
      return super.writePing(ctx, false, data, promise); // our own pings are bounded by us
    }
    ChannelPromise counted = countControlFrame(ctx, promise);
    return counted == null ? promise : super.writePing(ctx, true, data, counted);
  }

  @Override
  public ChannelFuture writeRstStream(ChannelHandlerContext ctx, int streamId, long errorCode,
      ChannelPromise promise) {
    ChannelPromise counted = countControlFrame(ctx, promise);
    return counted == null ? promise : super.writeRstStream(ctx, streamId, errorCode, counted);
  }

  /** The promise to write with, counted until written; null when the limit is reached. */
  private @Nullable ChannelPromise countControlFrame(ChannelHandlerContext ctx,
      ChannelPromise promise) {
    if (limitReached) {
      promise.setFailure(limitException());
      return null;
    }
    if (queuedControlFrames >= policy.maxQueuedControlFrames()) {
      limitReached = true;
      Http2Exception e = limitException();
      promise.setFailure(e);
      // Netty's connection handler sets it when it takes this encoder, before any write.
      Objects.requireNonNull(lifecycleManager, "no connection handler").onError(ctx, true, e);
      // The GOAWAY sits behind the frames the peer does not read, and Netty closes only once it is
      // written: close now, or the connection would stay as long as the peer wants.
      ctx.close();
      return null;
    }
    queuedControlFrames++;
    ChannelPromise p = promise.unvoid();
    p.addListener(f -> queuedControlFrames--);
    return p;
  }

  private Http2Exception limitException() {
    return Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
        "More than %d control frames (SETTINGS ACK, PING ACK, RST_STREAM) are waiting to be "
            + "written; the client sends them faster than it reads",
        policy.maxQueuedControlFrames());
  }

  // ---- read side ----

  /** A RST_STREAM arrived; throws once there were too many in the current window. */
  void onRstStreamRead() throws Http2Exception {
    emptyDataInARow = 0;
    if (policy.maxRstFramesPerWindow() == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (now - rstWindowStart > policy.rstWindowNanos()) {
      rstWindowStart = now;
      rstInWindow = 0;
    }
    if (++rstInWindow > policy.maxRstFramesPerWindow()) {
      throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
          "More than %d RST_STREAM frames within %d ms", policy.maxRstFramesPerWindow(),
          policy.rstWindowNanos() / 1_000_000);
    }
  }

  /** A DATA frame arrived; throws after too many without payload or END_STREAM in a row. */
  void onDataRead(int bytesWithPadding, boolean endOfStream) throws Http2Exception {
    if (bytesWithPadding > 0 || endOfStream) {
      emptyDataInARow = 0;
      return;
    }
    if (++emptyDataInARow > policy.maxConsecutiveEmptyDataFrames()) {
      throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
          "More than %d empty DATA frames in a row", policy.maxConsecutiveEmptyDataFrames());
    }
  }

  /** A HEADERS frame arrived. */
  void onHeadersRead() {
    emptyDataInARow = 0;
  }
}
