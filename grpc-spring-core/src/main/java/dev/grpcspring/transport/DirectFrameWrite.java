package dev.grpcspring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Writes a call's DATA and HEADERS frames straight to the channel when nothing needs Netty's
 * connection encoder for them, as grpc-go's loopy writer does: each frame is one buffer written
 * with the caller's promise. Netty's encoder instead queues every DATA frame in its flow
 * controller and writes it at the next flush, with per frame a queued-frame object holding a
 * buffer queue, a promise, a promise aggregator, a slice and a header buffer; and it writes each
 * HEADERS frame with an aggregator, a slice and listeners on the promise. Together that was about
 * a third of the bytes a streamed message cost the server, a fifth of a unary call's, and a good
 * part of its event loop's time.
 *
 * <p>DATA: the frame header goes into the room the framer left before the message. Netty's remote
 * flow controller stays the one ledger of the peer's windows: a direct write takes its bytes out
 * of the stream's and the connection's window there, as Netty's own write would, so window
 * updates, SETTINGS changes and frames that do queue all see the same numbers. Anything the fast
 * path cannot prove safe goes the usual way: a frame without room for the header, larger than the
 * peer's frame size, when the stream has frames queued (order), when a window is short, when the
 * stream is not open for sending, or when the channel is not writable (its back-pressure is what
 * {@code isReady} waits on).
 *
 * <p>HEADERS: encoded by the connection's own HPACK encoder (one dynamic table, encoded in the
 * order written, as Netty's frame writer does), into CONTINUATION frames past the peer's frame
 * size; the stream's state then changes as the encoder would change it. Trailers whose stream
 * still has DATA queued in the flow controller go through the encoder, which queues them behind
 * it. Event loop only.
 */
final class DirectFrameWrite {
  /** The END_STREAM flag of a DATA or HEADERS frame. */
  private static final int END_STREAM = 0x1;
  /** The END_HEADERS flag of a HEADERS or CONTINUATION frame. */
  private static final int END_HEADERS = 0x4;
  private static final int HEADER = Http2CodecUtil.FRAME_HEADER_LENGTH;

  private DirectFrameWrite() {}

  /**
   * Writes {@code frame} (a whole message frame) as one DATA frame now if the windows allow it
   * without queueing; false, doing nothing, when it must go through the encoder. The bytes before
   * the frame's reader index are ours to overwrite (see {@link ServerTransportStream#writeMessage}).
   *
   * @param endStream whether the frame ends our side of the stream; {@code lifecycle} then closes
   *     it, as the encoder does once such a frame is written
   */
  static boolean tryWriteData(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder,
      Http2LifecycleManager lifecycle, Http2Stream stream, ByteBuf frame, boolean endStream,
      ChannelPromise promise) {
    int size = frame.readableBytes();
    int start = frame.readerIndex() - HEADER;
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

  /**
   * Writes {@code headers} as a HEADERS frame (with CONTINUATIONs as needed) now; false, doing
   * nothing, when they must go through the encoder: the stream is not open for sending, has sent
   * its trailers, has sent its headers already and these do not end it, or these end it while it
   * has DATA queued in the flow controller.
   *
   * @param hpack the connection's headers encoder, the one its frame writer uses
   */
  static boolean tryWriteHeaders(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder,
      Http2HeadersEncoder hpack, Http2LifecycleManager lifecycle, Http2Stream stream,
      Http2Headers headers, boolean endStream, ChannelPromise promise) {
    if (!sendable(stream.state()) || stream.isTrailersSent()
        || (endStream ? encoder.flowController().hasFlowControlled(stream)
            : stream.isHeadersSent())) {
      return false;
    }
    ByteBuf block = ctx.alloc().buffer(128);
    block.writerIndex(HEADER);
    try {
      hpack.encodeHeaders(stream.id(), headers, block);
    } catch (Http2Exception | RuntimeException e) {
      // As the encoder: the write fails, and the lifecycle manager decides what the error ends.
      block.release();
      promise.setFailure(e);
      lifecycle.onError(ctx, true, e);
      if (endStream) {
        lifecycle.closeStreamLocal(stream, promise);
      }
      return true;
    }
    int length = block.readableBytes() - HEADER;
    int maxFrame = encoder.configuration().frameSizePolicy().maxFrameSize();
    ByteBuf out;
    if (length <= maxFrame) {
      block.setMedium(0, length);
      block.setByte(3, Http2FrameTypes.HEADERS);
      block.setByte(4, END_HEADERS | (endStream ? END_STREAM : 0));
      block.setInt(5, stream.id());
      out = block;
    } else {
      out = withContinuations(ctx, block, length, maxFrame, stream.id(), endStream);
    }
    stream.headersSent(false);
    ctx.write(out, promise);
    if (endStream) {
      lifecycle.closeStreamLocal(stream, promise);
    }
    return true;
  }

  /**
   * A header block longer than one frame, as a HEADERS frame and CONTINUATION frames (rare: a
   * block past the peer's frame size, at least 16 KiB); releases {@code block}.
   */
  private static ByteBuf withContinuations(ChannelHandlerContext ctx, ByteBuf block, int length,
      int maxFrame, int streamId, boolean endStream) {
    int frames = (length + maxFrame - 1) / maxFrame;
    ByteBuf out = ctx.alloc().buffer(length + frames * HEADER);
    int from = HEADER;
    for (int i = 0; i < frames; i++) {
      int n = Math.min(maxFrame, length - i * maxFrame);
      boolean last = i == frames - 1;
      out.writeMedium(n);
      out.writeByte(i == 0 ? Http2FrameTypes.HEADERS : Http2FrameTypes.CONTINUATION);
      out.writeByte((i == 0 && endStream ? END_STREAM : 0) | (last ? END_HEADERS : 0));
      out.writeInt(streamId);
      out.writeBytes(block, from, n);
      from += n;
    }
    block.release();
    return out;
  }

  private static boolean sendable(Http2Stream.State state) {
    return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
  }
}
