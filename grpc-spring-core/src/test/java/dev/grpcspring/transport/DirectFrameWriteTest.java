package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Messages framed with room for the DATA frame header go straight to the channel while the peer's
 * windows allow, and through Netty's flow controller otherwise; either way the bytes arrive whole
 * and in order, and the flow controller's windows count every byte sent.
 */
class DirectFrameWriteTest {
  private static final int STREAM = 1;

  private EmbeddedHttp2Server h2;

  @AfterEach
  void tearDown() {
    if (h2 != null) {
      h2.close();
    }
  }

  @Test
  void messagesWithinTheWindowsGoOutAsTheirOwnDataFramesAndComeOffTheWindows() throws Exception {
    List<byte[]> sent = start(65_535, 3, i -> 10 + i, true);

    List<byte[]> writes = h2.serverWrites();
    // Each message went out as one buffer holding its frame header and itself: written in place.
    for (byte[] frame : sent) {
      assertThat(writes).anySatisfy(w -> assertThat(w).isEqualTo(dataFrame(frame)));
    }
    List<DataFrame> frames = dataFrames(Unpooled.wrappedBuffer(writes.toArray(new byte[0][])));
    // One DATA frame per message, carrying exactly that message.
    assertThat(frames).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(frames.get(i).bytes).isEqualTo(sent.get(i));
      assertThat(frames.get(i).streamId).isEqualTo(STREAM);
    }
    int total = sent.stream().mapToInt(b -> b.length).sum();
    assertThat(streamWindow()).isEqualTo(65_535 - total);
    assertThat(connectionWindow()).isEqualTo(65_535 - total);
  }

  @Test
  void aMessageTheWindowCannotHoldQueuesAndTheOnesAfterItWaitBehindIt() throws Exception {
    // A 20-byte stream window: the first message (15 bytes) fits, the second (25) does not, and
    // the third (5) would fit what is left but must not overtake the second.
    List<byte[]> sent = start(20, 3, i -> i == 0 ? 10 : i == 1 ? 20 : 0, true);

    byte[] first = dataBytes(h2.serverBytes());
    // The first whole, then as much of the second as the window holds (Netty splits it).
    assertThat(first).hasSize(20);
    assertThat(slice(first, 0, 15)).isEqualTo(sent.get(0));
    assertThat(slice(first, 15, 5)).isEqualTo(slice(sent.get(1), 0, 5));
    assertThat(streamWindow()).isZero();

    windowUpdate(100);
    byte[] rest = dataBytes(h2.serverBytes());
    byte[] all = concat(first, rest);
    assertThat(all).isEqualTo(concat(sent.get(0), concat(sent.get(1), sent.get(2))));
    assertThat(streamWindow()).isEqualTo(20 + 100 - all.length);
  }

  @Test
  void framesWithoutHeadroomGoThroughTheEncoderUnchanged() throws Exception {
    List<byte[]> sent = start(65_535, 2, i -> 7, false);

    List<byte[]> writes = h2.serverWrites();
    for (byte[] frame : sent) {
      assertThat(writes).noneSatisfy(w -> assertThat(w).isEqualTo(dataFrame(frame)));
    }
    // Netty's flow controller may merge queued frames of a stream: compare the bytes.
    assertThat(dataBytes(Unpooled.wrappedBuffer(writes.toArray(new byte[0][]))))
        .isEqualTo(concat(sent.get(0), sent.get(1)));
    assertThat(streamWindow()).isEqualTo(65_535 - 24);
  }

  @Test
  void headersAndTrailersGoOutWithTheConnectionsHpackStateAndEndTheirStreams() throws Exception {
    // Three calls with the same metadata: the second and third reference the HPACK dynamic table
    // the first filled, so one decoder reading everything proves the tables stayed in step. The
    // third's metadata is past one frame: its HEADERS continue in CONTINUATION frames.
    h2 = new EmbeddedHttp2Server(new StatusResponder());
    ChannelHandlerContext ctx = h2.clientCtx();
    h2.writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    for (int id = 1; id <= 5; id += 2) {
      h2.writer.writeHeaders(ctx, id, EmbeddedHttp2Server.request(), 0, false, ctx.newPromise());
      h2.writer.writeData(ctx, id, Unpooled.buffer().writeByte(0).writeInt(1).writeByte(id), 0,
          true, ctx.newPromise());
    }
    h2.server.writeInbound(h2.clientBytes(true));
    h2.server.runPendingTasks();

    List<String> events = new ArrayList<>();
    List<byte[]> writes = h2.serverWrites();
    // Each HEADERS frame went out whole in one buffer, with its CONTINUATIONs: written directly.
    assertThat(writes.stream().filter(w -> w.length >= 9 && w[3] == 0x1)).hasSize(6)
        .allSatisfy(w -> assertThat(w.length).isGreaterThanOrEqualTo(
            9 + ((w[0] & 0xff) << 16 | (w[1] & 0xff) << 8 | (w[2] & 0xff))));
    ByteBuf out = Unpooled.wrappedBuffer(writes.toArray(new byte[0][]));
    h2.readFrames(out, new Http2FrameAdapter() {
      @Override
      public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers,
          int padding, boolean endOfStream) {
        String tag = headers.get("x-tag") == null ? "" : " x-tag=" + headers.get("x-tag")
            + " big=" + (headers.get("x-big") == null ? 0 : headers.get("x-big").length());
        events.add(streamId + (endOfStream ? " trailers" : " headers")
            + (headers.status() == null ? "" : " :status=" + headers.status())
            + (headers.get("grpc-status") == null ? "" : " grpc-status="
                + headers.get("grpc-status") + " grpc-message=" + headers.get("grpc-message"))
            + tag);
      }

      @Override
      public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding,
          boolean endOfStream) {
        events.add(streamId + " data " + data.readableBytes());
        return data.readableBytes() + padding;
      }
    });
    assertThat(events).containsExactly(
        "1 headers :status=200 x-tag=same big=0", "1 data 6",
        "1 trailers grpc-status=0 grpc-message=done 1 x-tag=same big=0",
        "3 headers :status=200 x-tag=same big=0", "3 data 6",
        "3 trailers grpc-status=0 grpc-message=done 3 x-tag=same big=0",
        "5 headers :status=200 x-tag=same big=20000", "5 data 6",
        "5 trailers grpc-status=0 grpc-message=done 5 x-tag=same big=0");
    // Every stream ended on both sides: none is left active.
    assertThat(h2.handler.connection().numActiveStreams()).isZero();
  }

  /**
   * Starts a server whose handler answers the request on stream 1 with {@code count} messages of
   * {@code size.apply(i)} payload bytes, the client having announced {@code initialWindow}.
   * Returns the frames (prefix and payload) the handler sent.
   */
  private List<byte[]> start(int initialWindow, int count, IntFunction<Integer> size,
      boolean headroom) throws Exception {
    List<byte[]> sent = new ArrayList<>();
    h2 = new EmbeddedHttp2Server(new Responder(count, size, headroom, sent));
    ChannelHandlerContext ctx = h2.clientCtx();
    h2.writer.writeSettings(ctx, new Http2Settings().initialWindowSize(initialWindow),
        ctx.newPromise());
    h2.writer.writeHeaders(ctx, STREAM, EmbeddedHttp2Server.request(), 0, false, ctx.newPromise());
    h2.writer.writeData(ctx, STREAM, Unpooled.buffer().writeByte(0).writeInt(1).writeByte(42), 0,
        false, ctx.newPromise());
    h2.server.writeInbound(h2.clientBytes(true));
    h2.server.runPendingTasks();
    return sent;
  }

  private void windowUpdate(int increment) {
    ChannelHandlerContext ctx = h2.clientCtx();
    h2.writer.writeWindowUpdate(ctx, STREAM, increment, ctx.newPromise());
    h2.server.writeInbound(h2.clientBytes(false));
    h2.server.runPendingTasks();
  }

  private int streamWindow() {
    Http2Stream stream = h2.handler.connection().stream(STREAM);
    return h2.handler.encoder().flowController().windowSize(stream);
  }

  private int connectionWindow() {
    return h2.handler.encoder().flowController()
        .windowSize(h2.handler.connection().connectionStream());
  }

  /** {@code payload} as a DATA frame of stream 1 without flags. */
  private static byte[] dataFrame(byte[] payload) {
    ByteBuf b = Unpooled.buffer();
    b.writeMedium(payload.length).writeByte(0).writeByte(0).writeInt(STREAM).writeBytes(payload);
    byte[] out = ByteBufUtil.getBytes(b);
    b.release();
    return out;
  }

  private record DataFrame(int streamId, byte[] bytes) {}

  private List<DataFrame> dataFrames(ByteBuf bytes) throws Exception {
    List<DataFrame> frames = new ArrayList<>();
    h2.readFrames(bytes, new Http2FrameAdapter() {
      @Override
      public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding,
          boolean endOfStream) {
        frames.add(new DataFrame(streamId, ByteBufUtil.getBytes(data)));
        return data.readableBytes() + padding;
      }
    });
    return frames;
  }

  private byte[] dataBytes(ByteBuf bytes) throws Exception {
    byte[] all = new byte[0];
    for (DataFrame f : dataFrames(bytes)) {
      all = concat(all, f.bytes);
    }
    return all;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] slice(byte[] a, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(a, from, out, 0, length);
    return out;
  }

  /** Answers each call with metadata, its request echoed and OK with a description and metadata. */
  private static final class StatusResponder extends EmbeddedHttp2Server.StreamHandler {
    @Override
    public void handleStream(ServerTransportStream stream, String fullMethodName,
        Metadata headers) {
      stream.setListener(new EmbeddedHttp2Server.MessageListener() {
        private int id;

        @Override
        public void onMessage(ByteBuf message) {
          id = message.getByte(message.readerIndex());
          message.release();
          Metadata md = new Metadata();
          md.put(Metadata.Key.of("x-tag", Metadata.ASCII_STRING_MARSHALLER), "same");
          if (id == 5) {
            md.put(Metadata.Key.of("x-big", Metadata.ASCII_STRING_MARSHALLER), "b".repeat(20_000));
          }
          stream.writeHeaders(md, null, false);
          int room = stream.frameHeadroom();
          ByteBuf frame = stream.alloc().buffer(room + 6);
          frame.writerIndex(room).readerIndex(room);
          frame.writeByte(0).writeInt(1).writeByte(id);
          stream.writeMessage(frame, false);
        }

        @Override
        public void onHalfClose() {
          Metadata trailers = new Metadata();
          trailers.put(Metadata.Key.of("x-tag", Metadata.ASCII_STRING_MARSHALLER), "same");
          stream.close(Status.OK.withDescription("done " + id), trailers);
        }
      });
      stream.request(1);
    }
  }

  /** Answers the first request message with headers and {@code count} messages, on the loop. */
  private static final class Responder extends EmbeddedHttp2Server.StreamHandler {
    private final int count;
    private final IntFunction<Integer> size;
    private final boolean headroom;
    private final List<byte[]> sent;

    Responder(int count, IntFunction<Integer> size, boolean headroom, List<byte[]> sent) {
      this.count = count;
      this.size = size;
      this.headroom = headroom;
      this.sent = sent;
    }

    @Override
    public void handleStream(ServerTransportStream stream, String fullMethodName,
        Metadata headers) {
      stream.setListener(new EmbeddedHttp2Server.MessageListener() {
        @Override
        public void onMessage(ByteBuf message) {
          message.release();
          stream.writeHeaders(new Metadata(), null, false);
          for (int i = 0; i < count; i++) {
            int n = size.apply(i);
            int room = headroom ? stream.frameHeadroom() : 0;
            ByteBuf frame = stream.alloc().buffer(room + 5 + n);
            // Bytes the transport may overwrite: garbage, to show they never reach the wire.
            for (int r = 0; r < room; r++) {
              frame.writeByte(0x7f);
            }
            frame.readerIndex(room);
            frame.writeByte(0).writeInt(n);
            for (int b = 0; b < n; b++) {
              frame.writeByte(i * 16 + b);
            }
            sent.add(ByteBufUtil.getBytes(frame));
            stream.writeMessage(frame, i == count - 1);
          }
        }
      });
      stream.request(1);
    }
  }
}
