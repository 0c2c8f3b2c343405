package dev.grpcspring.transport;

import dev.grpcspring.protocol.GrpcHeaders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codec.CompressorRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a server connection flushes what handlers running on the event loop (a direct executor)
 * answer while it reads: in the read's own flush, one write for the whole batch.
 */
class Http2ServerFlushTest {
  private static final int STREAMS = 10;

  private final FlushCounter flushes = new FlushCounter();
  private final InlineEcho echo = new InlineEcho();
  private final List<ByteBuf> toRelease = new ArrayList<>();
  private EmbeddedChannel server;
  private EmbeddedChannel client; // only a context for the frame writer and reader

  @AfterEach
  void tearDown() {
    toRelease.forEach(ByteBuf::release);
    if (server != null) {
      server.finishAndReleaseAll();
    }
    if (client != null) {
      client.finishAndReleaseAll();
    }
  }

  @Test
  void responsesWrittenDuringAReadLeaveWithThatReadsFlush() throws Exception {
    server = new EmbeddedChannel();
    Http2Server handler = Http2Server.create(echo,
        new Http2Server.Config(1024 * 1024, 8192, 100, 1024 * 1024, false,
            TimeUnit.SECONDS.toNanos(10), CompressorRegistry.getDefaultInstance(),
            ServerConnectionPolicy.DEFAULT));
    OneRead oneRead = new OneRead();
    server.pipeline().addLast(flushes, oneRead, handler);
    client = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    drainOutbound(); // the server's preface

    // One read carrying the preface, SETTINGS, and a request on each of ten streams.
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    in.writeBytes(clientFrames(1));
    flushes.count = 0;
    server.writeOneInbound(in);

    // When the read is complete, before any event-loop task has run, every response is out, in
    // the read's one flush.
    assertThat(oneRead.flushesAfterRead).isEqualTo(1);
    assertThat(streamsWithData(oneRead.outAfterRead)).hasSize(STREAMS);
    // The drain task scheduled during the read then finds nothing left and flushes nothing.
    server.runPendingTasks();
    assertThat(flushes.count).isEqualTo(1);
    assertThat(streamsWithData(drainOutbound())).isEmpty();
  }

  @Test
  void aRequestFromInsideOnMessageTakesTheNextMessageInTheSameRead() throws Exception {
    server = new EmbeddedChannel();
    Http2Server handler = Http2Server.create(echo,
        new Http2Server.Config(1024 * 1024, 8192, 100, 1024 * 1024, false,
            TimeUnit.SECONDS.toNanos(10), CompressorRegistry.getDefaultInstance(),
            ServerConnectionPolicy.DEFAULT));
    OneRead oneRead = new OneRead();
    server.pipeline().addLast(flushes, oneRead, handler);
    client = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    drainOutbound();

    // Three messages per stream in one read; the handler asks for the next one in onMessage.
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    in.writeBytes(clientFrames(3));
    server.writeOneInbound(in);

    // All of them reached the handler while the read was processed, none waited for a task.
    assertThat(oneRead.messagesBeforeReadComplete).isEqualTo(3 * STREAMS);
    assertThat(streamsWithData(oneRead.outAfterRead)).hasSize(STREAMS);
  }

  private ByteBuf clientFrames(int messagesPerStream) {
    DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    ChannelHandlerContext ctx = client.pipeline().firstContext();
    writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    for (int i = 0; i < STREAMS; i++) {
      int id = 1 + 2 * i;
      Http2Headers headers = new DefaultHttp2Headers()
          .method("POST").scheme("http").path("/test.Echo/Call").authority("localhost")
          .add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC)
          .add(GrpcHeaders.TE, GrpcHeaders.TE_TRAILERS);
      writer.writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
      for (int m = 0; m < messagesPerStream; m++) {
        ByteBuf message = Unpooled.buffer().writeByte(0).writeInt(3).writeBytes(new byte[] {1, 2, 3});
        writer.writeData(ctx, id, message, 0, false, ctx.newPromise());
      }
    }
    client.flush();
    ByteBuf all = Unpooled.buffer();
    for (Object o; (o = client.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  private ByteBuf drainOutbound() {
    ByteBuf all = Unpooled.buffer();
    toRelease.add(all);
    for (Object o; (o = server.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  /** The streams that got a DATA frame in {@code bytes} (server frames, no preface). */
  private Set<Integer> streamsWithData(ByteBuf bytes) throws Exception {
    Set<Integer> streams = new HashSet<>();
    try (DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader()) {
      ChannelHandlerContext ctx = client.pipeline().firstContext();
      while (bytes.isReadable()) {
        reader.readFrame(ctx, bytes, new Http2FrameAdapter() {
          @Override
          public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding,
              boolean endOfStream) {
            streams.add(streamId);
            return data.readableBytes() + padding;
          }
        });
      }
    }
    return streams;
  }

  /** Answers every request message at once, on the event loop, as a direct-executor handler. */
  private static final class InlineEcho implements ServerTransportListener {
    int messages;

    @Override
    public void handleStream(ServerTransportStream stream, String fullMethodName,
        Metadata headers) {
      stream.setListener(new ServerStreamListener() {
        @Override
        public void onMessage(ByteBuf message) {
          messages++;
          ByteBuf frame = stream.alloc().buffer();
          frame.writeByte(0).writeInt(message.readableBytes()).writeBytes(message);
          message.release();
          stream.writeHeaders(new Metadata(), null, false);
          stream.writeMessage(frame, true);
          stream.request(1);
        }

        @Override
        public void onHalfClose() {}

        @Override
        public void onClose(Status status) {}

        @Override
        public void onReady() {}
      });
      stream.request(1);
    }

    @Override
    public void transportTerminated() {}
  }

  /**
   * Delivers a buffer as one read and its read-complete, as an event loop does before it runs any
   * task (inside {@link EmbeddedChannel#writeOneInbound}, whose writes do not run tasks), and
   * records what was flushed by then.
   */
  private final class OneRead extends ChannelInboundHandlerAdapter {
    int flushesAfterRead = -1;
    int messagesBeforeReadComplete = -1;
    ByteBuf outAfterRead;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.fireChannelRead(msg);
      messagesBeforeReadComplete = echo.messages;
      ctx.fireChannelReadComplete();
      flushesAfterRead = flushes.count;
      outAfterRead = drainOutbound();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      // The read-complete that matters was fired above, with the read.
    }
  }

  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count++;
      ctx.flush();
    }
  }
}
