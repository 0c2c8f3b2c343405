package dev.grpcspring.boot.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A bare HTTP/2 client that records the server's PINGs and GOAWAYs and can send its own. */
final class RawHttp2Peer implements AutoCloseable {
  record GoAway(int lastStreamId, long errorCode, String debug) {}

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  final BlockingQueue<Long> pingsReceived = new LinkedBlockingQueue<>();
  final BlockingQueue<GoAway> goAways = new LinkedBlockingQueue<>();
  final AtomicInteger pingAcks = new AtomicInteger();
  final CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
  private final Http2ConnectionHandler handler;
  private final Channel channel;

  RawHttp2Peer(int port) throws InterruptedException {
    handler = new Http2ConnectionHandlerBuilder().server(false).gracefulShutdownTimeoutMillis(0)
        .frameListener(new Http2FrameAdapter() {
          @Override
          public void onPingRead(ChannelHandlerContext ctx, long data) {
            pingsReceived.add(data);
          }

          @Override
          public void onPingAckRead(ChannelHandlerContext ctx, long data) {
            pingAcks.incrementAndGet();
          }

          @Override
          public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode,
              ByteBuf debugData) {
            goAways.add(new GoAway(lastStreamId, errorCode,
                debugData.toString(StandardCharsets.UTF_8)));
          }

          @Override
          public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings s) {
            settings.complete(s);
          }
        }).build();
    channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(handler);
          }
        })
        .connect("127.0.0.1", port).sync().channel();
  }

  private void run(java.util.function.Consumer<ChannelHandlerContext> write) throws Exception {
    channel.eventLoop().submit(() -> {
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      write.accept(ctx);
      handler.flush(ctx);
    }).get(5, TimeUnit.SECONDS);
  }

  void ping(long data) throws Exception {
    run(ctx -> handler.encoder().writePing(ctx, false, data, ctx.newPromise()));
  }

  /** Opens a call to {@code path} that stays open (no END_STREAM). */
  void openCall(int streamId, String path) throws Exception {
    run(ctx -> handler.encoder().writeHeaders(ctx, streamId, new DefaultHttp2Headers()
        .method("POST").scheme("http").path(path).authority("localhost")
        .add("content-type", "application/grpc").add("te", "trailers"), 0, false,
        ctx.newPromise()));
  }

  void autoRead(boolean on) throws Exception {
    channel.eventLoop().submit(() -> channel.config().setAutoRead(on)).get(5, TimeUnit.SECONDS);
  }

  boolean awaitClosed(long seconds) throws InterruptedException {
    return channel.closeFuture().await(seconds, TimeUnit.SECONDS);
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
