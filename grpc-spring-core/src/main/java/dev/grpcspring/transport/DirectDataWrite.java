package dev.grpcspring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Writes a message's DATA frame straight to the channel when the flow-control windows already
 * allow it, as grpc-go's loopy writer does when its quotas allow: the frame header goes into the
 * room the framer left before the message, and the one buffer is written with the message's own
 * promise. Netty's encoder instead queues every DATA frame in its flow controller and writes it
 * at the next flush, with per frame a queued-frame object holding a buffer queue, a promise, a
 * promise aggregator, a slice and a header buffer: about a third of the bytes a streamed message
 * cost the server, and a good part of its event loop's time.
 *
 * <p>Netty's remote flow controller stays the one ledger of the peer's windows: a direct write
 * takes its bytes out of the stream's and the connection's window there, as Netty's own write
 * would, so window updates, SETTINGS changes and frames that do queue all see the same numbers.
 * Anything the fast path cannot prove safe goes the usual way: a frame without room for the
 * header, larger than the peer's frame size, when the stream has frames queued (order), when a
 * window is short, when the stream is not open for sending, or when the channel is not writable
 * (its back-pressure is what {@code isReady} waits on). Event loop only.
 */
final class DirectDataWrite {
  /** The END_STREAM flag of a DATA frame. */
  private static final int END_STREAM = 0x1;

  private DirectDataWrite() {}

  /**
   * Writes {@code frame} (a whole message frame) as one DATA frame now if the windows allow it
   * without queueing; false, doing nothing, when it must go through the encoder. The bytes before
   * the frame's reader index are ours to overwrite (see {@link ServerTransportStream#writeMessage}).
   *
   * @param endStream whether the frame ends our side of the stream; {@code lifecycle} then closes
   *     it, as the encoder does once such a frame is written
   */
  static boolean tryWrite(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder,
      Http2LifecycleManager lifecycle, Http2Stream stream, ByteBuf frame, boolean endStream,
      ChannelPromise promise) {
    int size = frame.readableBytes();
    int start = frame.readerIndex() - Http2CodecUtil.FRAME_HEADER_LENGTH;
    if (start < 0 || size == 0 || !sendable(stream.state())) {
      return false;
    }
    Http2RemoteFlowController flow = encoder.flowController();
    Http2Stream connectionStream = encoder.connection().connectionStream();
    if (flow.hasFlowControlled(stream)
        || flow.windowSize(stream) < size
        || flow.windowSize(connectionStream) < size
        || size > encoder.configuration().frameSizePolicy().maxFrameSize()
        || !ctx.channel().isWritable()) {
      return false;
    }
    try {
      flow.incrementWindowSize(stream, -size);
      flow.incrementWindowSize(connectionStream, -size);
    } catch (Http2Exception e) {
      // Only an increment past 2^31-1 fails; a decrement of a window that holds the size cannot.
      throw new IllegalStateException("Netty's flow controller refused taking " + size
          + " bytes out of a window that holds them", e);
    }
    frame.setMedium(start, size);
    frame.setByte(start + 3, Http2FrameTypes.DATA);
    frame.setByte(start + 4, endStream ? END_STREAM : 0); // never padded
    frame.setInt(start + 5, stream.id());
    frame.readerIndex(start);
    ctx.write(frame, promise);
    if (endStream) {
      lifecycle.closeStreamLocal(stream, promise);
    }
    return true;
  }

  private static boolean sendable(Http2Stream.State state) {
    return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
  }
}
