package dev.grpcspring.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A bare HTTP/2 client on Netty's codec, for sending requests a gRPC client never would. Streams
 * are recorded: every HEADERS block, the DATA bytes, and an RST_STREAM code.
 */
final class RawHttp2Client implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<Integer, Result> results = new ConcurrentHashMap<>();
  final CompletableFuture<Http2Settings> serverSettings = new CompletableFuture<>();
  private final Channel channel;
  private final Http2ConnectionHandler handler;
  private int nextStreamId = 3;

  /** What came back on one stream. */
  static final class Result {
    final List<Http2Headers> headers = new ArrayList<>();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    volatile Long rstCode;
    final CompletableFuture<Result> ended = new CompletableFuture<>();
    /** Completes when an RST_STREAM arrives (after the response, for early closes). */
    final CompletableFuture<Long> reset = new CompletableFuture<>();

    Http2Headers first() {
      return headers.get(0);
    }

    Http2Headers last() {
      return headers.get(headers.size() - 1);
    }

    String status() {
      return String.valueOf(first().status());
    }

    String grpcStatus() {
      CharSequence s = last().get("grpc-status");
      return s == null ? null : s.toString();
    }

    String grpcMessage() {
      CharSequence s = last().get("grpc-message");
      return s == null ? null : s.toString();
    }
  }

  RawHttp2Client(int port) throws InterruptedException {
    handler = new Http2ConnectionHandlerBuilder()
        .server(false)
        // close() drops the connection at once, open streams or not.
        .gracefulShutdownTimeoutMillis(0)
        // Let us send header lists larger than the server allows.
        .encoderIgnoreMaxHeaderListSize(true)
        .frameListener(new Http2FrameAdapter() {
          @Override
          public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
              int padding, boolean endOfStream) {
            Result r = result(streamId);
            r.headers.add(headers);
            if (endOfStream) {
              r.ended.complete(r);
            }
          }

          @Override
          public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
              int streamDependency, short weight, boolean exclusive, int padding,
              boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
          }

          @Override
          public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
              boolean endOfStream) {
            Result r = result(streamId);
            r.data.writeBytes(ByteBufUtil.getBytes(data));
            if (endOfStream) {
              r.ended.complete(r);
            }
            return data.readableBytes() + padding;
          }

          @Override
          public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            Result r = result(streamId);
            r.rstCode = errorCode;
            r.reset.complete(errorCode);
            r.ended.complete(r);
          }

          @Override
          public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            serverSettings.complete(settings);
          }
        })
        .build();
    channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(handler);
          }
        })
        .connect("127.0.0.1", port).sync().channel();
  }

  private Result result(int streamId) {
    return results.computeIfAbsent(streamId, id -> new Result());
  }

  /** A well-formed gRPC request header block for {@code path}. */
  static Http2Headers grpcHeaders(String path) {
    return new DefaultHttp2Headers()
        .method("POST").scheme("http").path(path).authority("localhost")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  /** Sends HEADERS, then DATA when {@code body} is not null; returns the stream id. */
  int send(Http2Headers headers, ByteBuf body, boolean endStream) throws Exception {
    CompletableFuture<Integer> id = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      int streamId = nextStreamId;
      nextStreamId += 2;
      result(streamId);
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      handler.encoder().writeHeaders(ctx, streamId, headers, 0, body == null && endStream,
          ctx.newPromise());
      if (body != null) {
        handler.encoder().writeData(ctx, streamId, body, 0, endStream, ctx.newPromise());
      }
      handler.flush(ctx);
      id.complete(streamId);
    });
    return id.get(5, TimeUnit.SECONDS);
  }

  /** Sends more DATA on an open stream. */
  void sendData(int streamId, ByteBuf body, boolean endStream) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      handler.encoder().writeData(ctx, streamId, body, 0, endStream, ctx.newPromise());
      handler.flush(ctx);
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  /**
   * What we may still send: the peer's flow-control window for the stream (0 = the connection),
   * as of the last WINDOW_UPDATE received.
   */
  int sendWindow(int streamId) throws Exception {
    CompletableFuture<Integer> w = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      var stream = streamId == 0
          ? handler.connection().connectionStream() : handler.connection().stream(streamId);
      w.complete(handler.encoder().flowController().windowSize(stream));
    });
    return w.get(5, TimeUnit.SECONDS);
  }

  /** The server's latest SETTINGS_INITIAL_WINDOW_SIZE: what each new stream may send. */
  int peerInitialWindow() throws Exception {
    CompletableFuture<Integer> w = new CompletableFuture<>();
    channel.eventLoop().execute(
        () -> w.complete(handler.encoder().flowController().initialWindowSize()));
    return w.get(5, TimeUnit.SECONDS);
  }

  /**
   * Waits for the stream to end (END_STREAM or RST_STREAM). Generous: a 24 MiB upload through a
   * fixed 1 MiB window took over 5 s on a loaded 2-core machine.
   */
  Result await(int streamId) throws Exception {
    return results.get(streamId).ended.get(30, TimeUnit.SECONDS);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
