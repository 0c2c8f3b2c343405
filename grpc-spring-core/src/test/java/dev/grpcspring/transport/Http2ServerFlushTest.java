package dev.grpcspring.transport;


import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.HashSet;
import java.util.Set;
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
  private EmbeddedHttp2Server h2;

  @AfterEach
  void tearDown() {
    if (h2 != null) {
      h2.close();
    }
  }

  @Test
  void responsesWrittenDuringAReadLeaveWithThatReadsFlush() throws Exception {
    OneRead oneRead = new OneRead();
    h2 = new EmbeddedHttp2Server(echo, flushes, oneRead);

    // One read carrying the preface, SETTINGS, and a request on each of ten streams.
    ByteBuf in = clientFrames(1);
    flushes.count = 0;
    h2.server.writeOneInbound(in);

    // When the read is complete, before any event-loop task has run, every response is out, in
    // the read's one flush.
    assertThat(oneRead.flushesAfterRead).isEqualTo(1);
    assertThat(streamsWithData(oneRead.outAfterRead)).hasSize(STREAMS);
    // The drain task scheduled during the read then finds nothing left and flushes nothing.
    h2.server.runPendingTasks();
    assertThat(flushes.count).isEqualTo(1);
    assertThat(streamsWithData(h2.serverBytes())).isEmpty();
  }

  @Test
  void aRequestFromInsideOnMessageTakesTheNextMessageInTheSameRead() throws Exception {
    OneRead oneRead = new OneRead();
    h2 = new EmbeddedHttp2Server(echo, flushes, oneRead);

    // Three messages per stream in one read; the handler asks for the next one in onMessage.
    h2.server.writeOneInbound(clientFrames(3));

    // All of them reached the handler while the read was processed, none waited for a task.
    assertThat(oneRead.messagesBeforeReadComplete).isEqualTo(3 * STREAMS);
    assertThat(streamsWithData(oneRead.outAfterRead)).hasSize(STREAMS);
  }

  /** The preface, SETTINGS, and a request of {@code messagesPerStream} messages per stream. */
  private ByteBuf clientFrames(int messagesPerStream) {
    ChannelHandlerContext ctx = h2.clientCtx();
    h2.writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    for (int i = 0; i < STREAMS; i++) {
      int id = 1 + 2 * i;
      h2.writer.writeHeaders(ctx, id, EmbeddedHttp2Server.request(), 0, false, ctx.newPromise());
      for (int m = 0; m < messagesPerStream; m++) {
        ByteBuf message = Unpooled.buffer().writeByte(0).writeInt(3).writeBytes(new byte[] {1, 2, 3});
        h2.writer.writeData(ctx, id, message, 0, false, ctx.newPromise());
      }
    }
    return h2.clientBytes(true);
  }

  /** The streams that got a DATA frame in {@code bytes} (server frames, no preface). */
  private Set<Integer> streamsWithData(ByteBuf bytes) throws Exception {
    Set<Integer> streams = new HashSet<>();
    h2.readFrames(bytes, new Http2FrameAdapter() {
      @Override
      public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding,
          boolean endOfStream) {
        streams.add(streamId);
        return data.readableBytes() + padding;
      }
    });
    return streams;
  }

  /** Answers every request message at once, on the event loop, as a direct-executor handler. */
  private static final class InlineEcho extends EmbeddedHttp2Server.StreamHandler {
    int messages;

    @Override
    public void handleStream(ServerTransportStream stream, String fullMethodName,
        Metadata headers) {
      stream.setListener(new EmbeddedHttp2Server.MessageListener() {
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
      });
      stream.request(1);
    }
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
      outAfterRead = h2.serverBytes();
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
