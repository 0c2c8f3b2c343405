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
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bare HTTP/2 client on Netty's codec, for sending requests a gRPC client never would. Streams
 * are recorded: every HEADERS block, the DATA bytes, and an RST_STREAM code.
 */
final class RawHttp2Client implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<Integer, Result> results = new ConcurrentHashMap<>();
  final CompletableFuture<Http2Settings> serverSettings = new CompletableFuture<>();
  /** The first GOAWAY from the server: error code and debug data. */
  final CompletableFuture<GoAway> goAway = new CompletableFuture<>();
  /** Every GOAWAY from the server, in order. */
  final java.util.concurrent.BlockingQueue<GoAway> goAways =
      new java.util.concurrent.LinkedBlockingQueue<>();
  /** The server's PINGs (not ACKs), by payload, in arrival order. */
  final java.util.concurrent.BlockingQueue<Long> pingsReceived =
      new java.util.concurrent.LinkedBlockingQueue<>();
  final java.util.concurrent.atomic.AtomicInteger pingAcks = new java.util.concurrent.atomic.AtomicInteger();

  /** A GOAWAY as received. */
  record GoAway(int lastStreamId, long errorCode, String debug) {}
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
    /** Completes when the first DATA bytes of the response arrive. */
    final CompletableFuture<Void> firstData = new CompletableFuture<>();

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
            if (data.isReadable()) {
              r.firstData.complete(null);
            }
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

          @Override
          public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode,
              ByteBuf debugData) {
            GoAway g = new GoAway(lastStreamId, errorCode,
                debugData.toString(java.nio.charset.StandardCharsets.UTF_8));
            goAways.add(g);
            goAway.complete(g);
          }

          @Override
          public void onPingRead(ChannelHandlerContext ctx, long data) {
            pingsReceived.add(data);
          }

          @Override
          public void onPingAckRead(ChannelHandlerContext ctx, long data) {
            pingAcks.incrementAndGet();
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

  /**
   * Sends {@code count} requests (HEADERS, then DATA ending the stream) in one flush, so that the
   * server reads them together; returns their stream ids.
   */
  List<Integer> sendInOneFlush(int count, Http2Headers headers,
      Supplier<ByteBuf> body) throws Exception {
    CompletableFuture<List<Integer>> ids = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      List<Integer> sent = new ArrayList<>();
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      for (int i = 0; i < count; i++) {
        int streamId = nextStreamId;
        nextStreamId += 2;
        result(streamId);
        handler.encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise());
        handler.encoder().writeData(ctx, streamId, body.get(), 0, true, ctx.newPromise());
        sent.add(streamId);
      }
      handler.flush(ctx);
      ids.complete(sent);
    });
    return ids.get(5, TimeUnit.SECONDS);
  }

  /**
   * Sends a HEADERS frame whose block is written by hand (HPACK literals, in the given order,
   * unchecked), then DATA when {@code body} is not null: for header blocks Netty's encoder would
   * refuse or reorder. Returns the stream id.
   */
  int sendRaw(List<String[]> fields, ByteBuf body, boolean endStream) throws Exception {
    CompletableFuture<Integer> id = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      try {
        int streamId = nextStreamId;
        nextStreamId += 2;
        result(streamId);
        ChannelHandlerContext ctx = channel.pipeline().context(handler);
        handler.connection().local().createStream(streamId, false);
        ByteBuf block = ctx.alloc().buffer();
        for (String[] f : fields) {
          block.writeByte(0); // literal header field without indexing, new name
          writeString(block, f[0]);
          writeString(block, f[1]);
        }
        Http2Flags flags = new Http2Flags().endOfHeaders(true).endOfStream(body == null && endStream);
        handler.encoder().frameWriter()
            .writeFrame(ctx, Http2FrameTypes.HEADERS, streamId, flags, block, ctx.newPromise());
        if (body != null) {
          handler.encoder().writeData(ctx, streamId, body, 0, endStream, ctx.newPromise());
        }
        handler.flush(ctx);
        id.complete(streamId);
      } catch (Exception e) {
        id.completeExceptionally(e);
      }
    });
    return id.get(5, TimeUnit.SECONDS);
  }

  /** Sends a hand-written trailer block (END_STREAM) on an open stream. */
  void sendRawTrailers(int streamId, List<String[]> fields) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      ByteBuf block = ctx.alloc().buffer();
      for (String[] f : fields) {
        block.writeByte(0);
        writeString(block, f[0]);
        writeString(block, f[1]);
      }
      Http2Flags flags = new Http2Flags().endOfHeaders(true).endOfStream(true);
      handler.encoder().frameWriter()
          .writeFrame(ctx, Http2FrameTypes.HEADERS, streamId, flags, block, ctx.newPromise());
      handler.flush(ctx);
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  private static void writeString(ByteBuf out, String s) {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    writeInt(out, 0, 7, bytes.length); // no Huffman
    out.writeBytes(bytes);
  }

  /** An HPACK integer with an {@code n}-bit prefix (RFC 7541 §5.1). */
  private static void writeInt(ByteBuf out, int firstByteFlags, int n, int value) {
    int max = (1 << n) - 1;
    if (value < max) {
      out.writeByte(firstByteFlags | value);
      return;
    }
    out.writeByte(firstByteFlags | max);
    value -= max;
    while (value >= 128) {
      out.writeByte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  /** Runs {@code write} on the connection's event loop with its context, then flushes. */
  void write(java.util.function.BiConsumer<Http2ConnectionHandler, ChannelHandlerContext> write)
      throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      try {
        ChannelHandlerContext ctx = channel.pipeline().context(handler);
        write.accept(handler, ctx);
        handler.flush(ctx);
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    done.get(5, TimeUnit.SECONDS);
  }

  /** Sends a PING (not an ACK). */
  void ping(long data) throws Exception {
    write((h, ctx) -> h.encoder().writePing(ctx, false, data, ctx.newPromise()));
  }

  /** Stops reading from the socket: a peer that has silently gone away. */
  void stopReading() throws Exception {
    channel.eventLoop().submit(() -> channel.config().setAutoRead(false)).get(5, TimeUnit.SECONDS);
  }

  /** Completes when the connection has closed. */
  io.netty.channel.ChannelFuture closeFuture() {
    return channel.closeFuture();
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
   * Waits for the stream to end (END_STREAM or RST_STREAM). Generous: ServerFlowControlTest's 24 MiB
   * upload and echo took over 5 s on a loaded 2-core machine.
   */
  Result await(int streamId) throws Exception {
    return results.get(streamId).ended.get(60, TimeUnit.SECONDS);
  }

  /** What has arrived on a stream so far, without waiting for it to end. */
  Result stream(int streamId) {
    return result(streamId);
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
