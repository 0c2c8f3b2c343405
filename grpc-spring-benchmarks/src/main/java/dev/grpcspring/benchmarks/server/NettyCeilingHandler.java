package dev.grpcspring.benchmarks.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import java.util.concurrent.atomic.LongAdder;

/**
 * One connection of {@link NettyCeilingServer}: counts the bytes of each stream's length-prefixed
 * request messages (5-byte prefix, then the length it gives) and, for every complete message,
 * writes the canned response; at the client's end of stream it writes the trailers. Writes are not
 * flushed here: {@link Http2ConnectionHandler} flushes once when the read batch ends.
 */
final class NettyCeilingHandler extends Http2ConnectionHandler {
  private static final Http2Headers RESPONSE_HEADERS =
      new DefaultHttp2Headers()
          .status(AsciiString.cached("200"))
          .set(AsciiString.cached("content-type"), AsciiString.cached("application/grpc"));
  private static final Http2Headers TRAILERS =
      new DefaultHttp2Headers().set(AsciiString.cached("grpc-status"), AsciiString.cached("0"));

  /** A stream that ended without a request message gets a trailers-only answer. */
  private static final Http2Headers RESPONSE_HEADERS_AND_STATUS =
      new DefaultHttp2Headers()
          .status(AsciiString.cached("200"))
          .set(AsciiString.cached("content-type"), AsciiString.cached("application/grpc"))
          .set(AsciiString.cached("grpc-status"), AsciiString.cached("0"));

  private final ByteBuf canned;
  private final LongAdder responses;
  private final Http2Connection.PropertyKey stateKey;
  private boolean connectionWindowRaised;

  private NettyCeilingHandler(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      ByteBuf canned, LongAdder responses) {
    super(decoder, encoder, settings);
    this.canned = canned;
    this.responses = responses;
    this.stateKey = connection().newKey();
    decoder.frameListener(new Listener());
  }

  /** Per stream: where in the current request message the next byte falls. */
  private static final class StreamState {
    boolean headersSent;
    /** Bytes of the 5-byte prefix read so far (5 = in the body). */
    int prefixRead;
    /** The message length taken from the prefix, built up byte by byte. */
    int length;
    /** Body bytes still to come for the current message. */
    int bodyLeft;
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings)
        throws Http2Exception {
      if (!connectionWindowRaised) {
        // Raise the connection window to the stream window once, as grpc-java does: Netty starts
        // every connection at 64 KiB.
        connectionWindowRaised = true;
        Http2Stream connectionStream = connection().connectionStream();
        int current = connection().local().flowController().windowSize(connectionStream);
        if (current < NettyCeilingServer.WINDOW) {
          connection().local().flowController()
              .incrementWindowSize(connectionStream, NettyCeilingServer.WINDOW - current);
        }
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endOfStream) {
      if (endOfStream) {
        finish(ctx, streamId);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int processed = data.readableBytes() + padding;
      Http2Stream stream = connection().stream(streamId);
      if (stream != null) {
        StreamState state = stream.getProperty(stateKey);
        if (state == null) {
          state = new StreamState();
          stream.setProperty(stateKey, state);
        }
        int index = data.readerIndex();
        int end = data.writerIndex();
        while (index < end) {
          if (state.prefixRead < 5) {
            byte b = data.getByte(index++);
            if (state.prefixRead > 0) {
              state.length = (state.length << 8) | (b & 0xff);
            }
            state.prefixRead++;
            if (state.prefixRead == 5) {
              state.bodyLeft = state.length;
            }
          } else {
            int skip = Math.min(state.bodyLeft, end - index);
            index += skip;
            state.bodyLeft -= skip;
          }
          if (state.prefixRead == 5 && state.bodyLeft == 0) {
            respond(ctx, streamId, state);
            state.prefixRead = 0;
            state.length = 0;
          }
        }
      }
      if (endOfStream) {
        finish(ctx, streamId);
      }
      // Every byte counts as consumed at once, so Netty returns the flow-control credit itself.
      return processed;
    }
  }

  private void respond(ChannelHandlerContext ctx, int streamId, StreamState state) {
    if (!state.headersSent) {
      state.headersSent = true;
      encoder().writeHeaders(ctx, streamId, RESPONSE_HEADERS, 0, false, ctx.voidPromise());
    }
    encoder().writeData(ctx, streamId, canned.duplicate(), 0, false, ctx.voidPromise());
    responses.increment();
  }

  private void finish(ChannelHandlerContext ctx, int streamId) {
    Http2Stream stream = connection().stream(streamId);
    StreamState state = stream == null ? null : stream.getProperty(stateKey);
    if (state == null || !state.headersSent) {
      // No message came: a trailers-only answer (still status OK; this server judges nothing).
      encoder().writeHeaders(ctx, streamId, RESPONSE_HEADERS_AND_STATUS, 0, true,
          ctx.voidPromise());
      return;
    }
    encoder().writeHeaders(ctx, streamId, TRAILERS, 0, true, ctx.voidPromise());
  }

  /** Builds the handler with 1 MiB stream windows. */
  static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<NettyCeilingHandler, Builder> {
    private final ByteBuf canned;
    private final LongAdder responses;

    Builder(ByteBuf canned, LongAdder responses) {
      this.canned = canned;
      this.responses = responses;
      server(true);
      initialSettings(Http2Settings.defaultSettings().initialWindowSize(NettyCeilingServer.WINDOW));
    }

    @Override
    public NettyCeilingHandler build() {
      return super.build();
    }

    @Override
    protected NettyCeilingHandler build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      return new NettyCeilingHandler(decoder, encoder, initialSettings, canned, responses);
    }
  }
}
