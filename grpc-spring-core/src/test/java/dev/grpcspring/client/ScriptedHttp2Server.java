package dev.grpcspring.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A bare HTTP/2 server on Netty's codec that answers each request as a test script says, to drive
 * the client through what well-behaved gRPC servers never send (HTTP errors, resets, odd trailers,
 * GOAWAY above a stream). It records the request headers it received, in wire order.
 */
final class ScriptedHttp2Server implements AutoCloseable {
  /** What to do with one request, once its headers arrived. */
  interface Script {
    void respond(Responder r, int streamId, Http2Headers request) throws Exception;
  }

  /** Writes frames for a script; call on the connection's event loop (scripts run there). */
  static final class Responder {
    final ChannelHandlerContext ctx;
    final Http2ConnectionEncoder encoder;
    final int connectionIndex;

    Responder(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder, int connectionIndex) {
      this.ctx = ctx;
      this.encoder = encoder;
      this.connectionIndex = connectionIndex;
    }

    /** Streams the client has open on this connection right now. */
    int openStreams() {
      return encoder.connection().numActiveStreams();
    }

    void headers(int streamId, Http2Headers h, boolean end) {
      encoder.writeHeaders(ctx, streamId, h, 0, end, ctx.newPromise());
      ctx.flush();
    }

    void data(int streamId, ByteBuf data, boolean end) {
      encoder.writeData(ctx, streamId, data, 0, end, ctx.newPromise());
      ctx.flush();
    }

    void rst(int streamId, long code) {
      encoder.writeRstStream(ctx, streamId, code, ctx.newPromise());
      ctx.flush();
    }

    void goAway(int lastStreamId, long code) {
      encoder.writeGoAway(ctx, lastStreamId, code, io.netty.buffer.Unpooled.EMPTY_BUFFER, ctx.newPromise());
      ctx.flush();
    }
  }

  final BlockingQueue<List<String>> requestHeaderNames = new LinkedBlockingQueue<>();
  final BlockingQueue<Map.Entry<Integer, Integer>> streams = new LinkedBlockingQueue<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

  /** Every RST_STREAM that arrived, even for streams already closed (which Netty drops). */
  final BlockingQueue<Long> rawResets = new LinkedBlockingQueue<>();
  /** Every DATA frame from the client, as "bytes" with " END_STREAM" when it ended the request. */
  final BlockingQueue<String> dataFrames = new LinkedBlockingQueue<>();
  /** RST_STREAM error codes received from the client for open streams. */
  final BlockingQueue<Long> resetsReceived = new LinkedBlockingQueue<>();
  private final Http2Settings settings;

  ScriptedHttp2Server(Script script) throws InterruptedException {
    this(script, new Http2Settings());
  }

  private final boolean answerAfterEndStream;

  ScriptedHttp2Server(Script script, Http2Settings settings) throws InterruptedException {
    this(script, settings, false);
  }

  /**
   * @param answerAfterEndStream run the script when the request ends (END_STREAM) rather than
   *     when its headers arrive, as a server that reads the whole request first does
   */
  ScriptedHttp2Server(Script script, Http2Settings settings, boolean answerAfterEndStream)
      throws InterruptedException {
    this.settings = settings;
    this.answerAfterEndStream = answerAfterEndStream;
    channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(newHandler(script, connections.incrementAndGet()));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  String target() {
    return "127.0.0.1:" + port();
  }

  int connectionCount() {
    return connections.get();
  }

  private Http2ConnectionHandler newHandler(Script script, int index) {
    Http2Connection connection = new DefaultHttp2Connection(true);
    Http2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter());
    io.netty.handler.codec.http2.Http2FrameLogger frameLog =
        new io.netty.handler.codec.http2.Http2FrameLogger(io.netty.handler.logging.LogLevel.TRACE) {
          @Override
          public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId,
              long errorCode) {
            if (direction == Direction.INBOUND) {
              rawResets.add(errorCode);
            }
          }
        };
    Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder,
        new io.netty.handler.codec.http2.Http2InboundFrameLogger(new DefaultHttp2FrameReader(), frameLog));
    Map<Integer, Http2Headers> requests = new java.util.HashMap<>();
    Http2ConnectionHandler handler = new Http2ConnectionHandler(decoder, encoder, settings) {};
    decoder.frameListener(new Http2FrameAdapter() {
      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
          int padding, boolean endOfStream) {
        List<String> names = new ArrayList<>();
        headers.forEach(e -> names.add(e.getKey().toString()));
        requestHeaderNames.add(names);
        streams.add(Map.entry(index, streamId));
        if (!answerAfterEndStream) {
          run(ctx, streamId, headers);
        } else {
          requests.put(streamId, headers);
        }
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
          int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
      }

      @Override
      public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        resetsReceived.add(errorCode);
      }

      @Override
      public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
          boolean endOfStream) {
        int n = data.readableBytes() + padding;
        dataFrames.add(data.readableBytes() + (endOfStream ? " END_STREAM" : ""));
        if (endOfStream && answerAfterEndStream) {
          run(ctx, streamId, requests.remove(streamId));
        }
        return n;
      }

      private void run(ChannelHandlerContext ctx, int streamId, Http2Headers headers) {
        try {
          script.respond(new Responder(ctx, encoder, index), streamId, headers);
        } catch (Exception e) {
          ctx.fireExceptionCaught(e);
        }
      }
    });
    return handler;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
