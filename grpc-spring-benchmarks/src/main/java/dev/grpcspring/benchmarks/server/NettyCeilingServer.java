package dev.grpcspring.benchmarks.server;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ceiling: a raw Netty HTTP/2 server (netty-codec-http2, nothing of ours or grpc-java's) that
 * answers every gRPC request message with the same pre-built bytes, a {@code SimpleResponse} of a
 * size fixed at start-up, and closes each stream with {@code grpc-status: 0}. It does no gRPC work
 * (no method lookup, no parsing, no executor), so no gRPC server on Netty can beat it on this
 * machine; a server's fraction of it is how much of the transport's speed the runtime keeps.
 *
 * <p>Same transport set-up as the others: epoll when it loads, Netty's default worker count (2 x
 * cores), 1 MiB HTTP/2 windows (grpc-java's), writes flushed once per read batch.
 */
public final class NettyCeilingServer implements BenchmarkServer {
  /** HTTP/2 stream and connection window, grpc-java's default. */
  static final int WINDOW = 1024 * 1024;

  private final EventLoopGroup boss;
  private final EventLoopGroup worker;
  private final Channel channel;
  private final LongAdder responses = new LongAdder();
  /** The canned answer; its duplicates are written, itself released once the server is down. */
  private final ByteBuf canned;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NettyCeilingServer(String host, int port, int responseBytes, int eventLoopThreads)
      throws InterruptedException {
    if (responseBytes < 0 || responseBytes > ResponseSizes.MAX_RESPONSE_BYTES) {
      throw new IllegalArgumentException("The canned response must be between 0 and "
          + ResponseSizes.MAX_RESPONSE_BYTES + " bytes, got " + responseBytes);
    }
    canned = cannedMessage(responseBytes);
    ByteBuf shared = Unpooled.unreleasableBuffer(canned);
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    boss = new MultiThreadIoEventLoopGroup(1, io);
    worker = new MultiThreadIoEventLoopGroup(eventLoopThreads, io);
    try {
      channel =
          new ServerBootstrap()
              .group(boss, worker)
              .channel(channelType)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(
                          new NettyCeilingHandler.Builder(shared, responses).build());
                    }
                  })
              .bind(new InetSocketAddress(host, port))
              .sync()
              .channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdownGroups();
      throw e;
    }
  }

  /** The gRPC-framed bytes of a SimpleResponse with {@code size} payload bytes, built once. */
  static ByteBuf cannedMessage(int size) {
    byte[] message =
        SimpleResponse.newBuilder()
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
            .build()
            .toByteArray();
    ByteBuf framed = Unpooled.directBuffer(5 + message.length);
    framed.writeByte(0); // not compressed
    framed.writeInt(message.length);
    framed.writeBytes(message);
    return framed;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one) with {@code eventLoopThreads}
   * worker loops (0: Netty's default, two per core).
   */
  public static NettyCeilingServer start(String host, int port, int responseBytes,
      int eventLoopThreads) throws InterruptedException {
    return new NettyCeilingServer(host, port, responseBytes, eventLoopThreads);
  }

  @Override
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public long responsesSent() {
    return responses.sum();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // "quit" and then the shutdown hook both close it
    }
    try {
      channel.close().await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutdownGroups();
    }
  }

  private void shutdownGroups() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      // No event loop may still write a duplicate of the canned answer when it is released.
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Netty ceiling's event loops did not stop within 10 s");
      }
      canned.release();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
