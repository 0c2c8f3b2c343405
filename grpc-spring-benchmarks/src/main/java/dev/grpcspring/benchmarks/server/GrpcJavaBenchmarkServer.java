package dev.grpcspring.benchmarks.server;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.ExecutorMode;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BenchmarkService on grpc-java, configured line for line as grpc-java's own qps benchmark server
 * ({@code io.grpc.benchmarks.qps.AsyncServer.newServer} in grpc-java 1.79) configures it when
 * started with {@code --transport=netty_epoll} (NIO where epoll cannot load), with or without
 * {@code --directexecutor}. Left on grpc-java's default cached executor it would be a handicapped
 * peer: its benchmarks never run it that way.
 */
public final class GrpcJavaBenchmarkServer implements BenchmarkServer {
  /** grpc-java's {@code NettyServerBuilder.DEFAULT_FLOW_CONTROL_WINDOW}, 1 MiB. */
  static final int FLOW_CONTROL_WINDOW = 1024 * 1024;

  private final GrpcJavaBenchmarkService service = new GrpcJavaBenchmarkService();
  private final EventLoopGroup boss;
  private final EventLoopGroup worker;
  private final ForkJoinPool executor;
  private final Server server;

  @SuppressWarnings("deprecation") // AsyncServer itself still builds the Netty 4.1-style groups.
  private GrpcJavaBenchmarkServer(String host, int port, ExecutorMode mode, BenchmarkTls tls,
      int eventLoopThreads) throws IOException {
    if (mode != ExecutorMode.POOLED && mode != ExecutorMode.DIRECT) {
      throw new IllegalArgumentException("grpc-java's server runs pooled or direct, not " + mode);
    }
    // AsyncServer: DefaultThreadFactory("server-elg-", daemon).
    DefaultThreadFactory tf = new DefaultThreadFactory("server-elg-", true);
    Class<? extends ServerChannel> channelType;
    if (Epoll.isAvailable()) {
      // AsyncServer --transport=netty_epoll: boss EpollEventLoopGroup(1), worker
      // EpollEventLoopGroup(0) (Netty's default size, 2 x cores), EpollServerSocketChannel.
      boss = new EpollEventLoopGroup(1, tf);
      worker = new EpollEventLoopGroup(eventLoopThreads, tf);
      channelType = EpollServerSocketChannel.class;
    } else {
      // AsyncServer --transport=netty_nio (its default), the same group sizes.
      boss = new NioEventLoopGroup(1, tf);
      worker = new NioEventLoopGroup(eventLoopThreads, tf);
      channelType = NioServerSocketChannel.class;
    }
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(worker)
            .channelType(channelType)
            .addService(service)
            // AsyncServer: .flowControlWindow(config.flowControlWindow), default
            // NettyChannelBuilder.DEFAULT_FLOW_CONTROL_WINDOW.
            .flowControlWindow(FLOW_CONTROL_WINDOW)
            // Not in AsyncServer (grpc-java's 4 MiB default): our large-payload scenario and its
            // 2 MiB cap on responses need more, and the other servers get the same limit.
            .maxInboundMessageSize(2 * ResponseSizes.MAX_RESPONSE_BYTES);
    if (mode == ExecutorMode.DIRECT) {
      // AsyncServer --directexecutor.
      executor = null;
      builder.directExecutor();
    } else {
      // AsyncServer without --directexecutor: a ForkJoinPool of availableProcessors() daemon
      // threads in async (FIFO) mode, not grpc-java's default cached pool.
      executor = newAsyncForkJoinPool();
      builder.executor(executor);
    }
    Server started;
    try {
      if (tls != null) {
        // Not in AsyncServer's plaintext setup: its --tls takes grpc-java's GrpcSslContexts too.
        builder.sslContext(tls.grpcJavaServer());
      }
      started = builder.build().start();
    } catch (IOException | RuntimeException e) {
      shutdownResources();
      throw e;
    }
    this.server = started;
  }

  private static ForkJoinPool newAsyncForkJoinPool() {
    AtomicInteger num = new AtomicInteger();
    return new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        pool -> {
          ForkJoinWorkerThread thread =
              ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          thread.setDaemon(true);
          thread.setName("grpc-server-app-" + num.getAndIncrement());
          return thread;
        },
        // AsyncServer uses UncaughtExceptionHandlers.systemExit(): a benchmark whose service
        // threw is not worth finishing, so this one ends the process the same way.
        (thread, error) -> {
          System.err.println("Uncaught exception in " + thread.getName() + ": " + error);
          Runtime.getRuntime().halt(1);
        },
        true /* asyncMode, as AsyncServer */);
  }

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static GrpcJavaBenchmarkServer start(String host, int port, ExecutorMode mode)
      throws IOException {
    return new GrpcJavaBenchmarkServer(host, port, mode, null, 0);
  }

  /**
   * Starts serving on {@code host:port}, over TLS when {@code tls} is not null, with
   * {@code eventLoopThreads} worker loops (0: Netty's default, as AsyncServer).
   */
  public static GrpcJavaBenchmarkServer start(String host, int port, ExecutorMode mode,
      BenchmarkTls tls, int eventLoopThreads) throws IOException {
    return new GrpcJavaBenchmarkServer(host, port, mode, tls, eventLoopThreads);
  }

  @Override
  public int port() {
    return server.getPort();
  }

  @Override
  public long responsesSent() {
    return service.responsesSent();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("grpc-java benchmark server did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      shutdownResources();
    }
  }

  private void shutdownResources() {
    // The server does not own groups and an executor it was given. The event loops go first:
    // their last write completions still hand work to the executor.
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
