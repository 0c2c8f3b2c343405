package dev.grpcspring.benchmarks.client;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.LoadShape;
import io.grpc.ManagedChannel;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc.BenchmarkServiceStub;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load from grpc-java's client (shaded Netty transport, grpc-java's generated stubs), each channel
 * built as grpc-java's qps benchmarks build theirs ({@code io.grpc.benchmarks.Utils
 * .newClientChannel} in grpc-java 1.79, {@code --transport=netty_epoll}, NIO where epoll cannot
 * load).
 */
public final class GrpcJavaLoadClient implements LoadClient {
  /** grpc-java's {@code Utils.DEFAULT_FLOW_CONTROL_WINDOW}, 1 MiB. */
  private static final int FLOW_CONTROL_WINDOW = 1024 * 1024;

  private final String target;
  private final boolean directExecutor;
  private final BenchmarkTls tls;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<EventLoopGroup> groups = new ArrayList<>();
  private ForkJoinPool executor;

  public GrpcJavaLoadClient(String target, boolean directExecutor) {
    this(target, directExecutor, null);
  }

  /** Over TLS when {@code tls} is not null, with the authority {@code localhost}. */
  public GrpcJavaLoadClient(String target, boolean directExecutor, BenchmarkTls tls) {
    this.tls = tls;
    this.target = target;
    this.directExecutor = directExecutor;
  }

  @Override
  public void start(LoadShape load, LoadMetrics metrics) {
    int size = load.payloadBytes();
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(size)
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
            .build();
    if (!directExecutor) {
      executor = newAsyncForkJoinPool();
    }
    for (int c = 0; c < load.channels(); c++) {
      ManagedChannel channel = newChannel(size);
      channels.add(channel);
      BenchmarkServiceStub stub = BenchmarkServiceGrpc.newStub(channel);
      for (int w = 0; w < load.outstandingPerChannel(); w++) {
        if (load.streaming()) {
          new PingPong(stub, request, size, metrics).start();
        } else {
          new Unary(stub, request, size, metrics).next();
        }
      }
    }
  }

  @SuppressWarnings("deprecation") // Utils.configureNetty still builds Netty 4.1-style groups.
  private ManagedChannel newChannel(int payloadBytes) {
    // Utils.configureNetty: DefaultThreadFactory("client-elg-", daemon), and a new event loop
    // group of Netty's default size per channel.
    DefaultThreadFactory tf = new DefaultThreadFactory("client-elg-", true);
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(target)
            // Utils.configureNetty: builder.flowControlWindow(flowControlWindow), default 1 MiB.
            .flowControlWindow(FLOW_CONTROL_WINDOW)
            // Not in Utils: the large-payload scenario's responses need more than 4 MiB of room.
            .maxInboundMessageSize(Math.max(4 * 1024 * 1024, 2 * payloadBytes));
    if (tls == null) {
      builder.usePlaintext();
    } else {
      try {
        builder.sslContext(tls.grpcJavaChannel()).overrideAuthority("localhost");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("Cannot read the run's CA in " + tls.dir(), e);
      }
    }
    EventLoopGroup group;
    if (Epoll.isAvailable()) {
      // --transport=netty_epoll: EpollEventLoopGroup(0, tf), EpollSocketChannel.
      group = new EpollEventLoopGroup(0, tf);
      builder.eventLoopGroup(group).channelType(EpollSocketChannel.class, InetSocketAddress.class);
    } else {
      // --transport=netty_nio: NioEventLoopGroup(0, tf), NioSocketChannel.
      group = new NioEventLoopGroup(0, tf);
      builder.eventLoopGroup(group).channelType(NioSocketChannel.class, InetSocketAddress.class);
    }
    groups.add(group);
    if (directExecutor) {
      // --directexecutor.
      builder.directExecutor();
    } else {
      // Utils.getExecutor(): one ForkJoinPool of availableProcessors() threads in async mode,
      // shared by every channel.
      builder.executor(executor);
    }
    return builder.build();
  }

  private static ForkJoinPool newAsyncForkJoinPool() {
    AtomicInteger num = new AtomicInteger();
    return new ForkJoinPool(
        Runtime.getRuntime().availableProcessors(),
        pool -> {
          ForkJoinWorkerThread thread =
              ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          thread.setDaemon(true);
          thread.setName("grpc-client-app-" + num.getAndIncrement());
          return thread;
        },
        null,
        true /* asyncMode, as Utils.getExecutor */);
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // The channels do not own groups and an executor they were given.
      for (EventLoopGroup group : groups) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  /** One worker making unary calls back to back. */
  private static final class Unary implements StreamObserver<SimpleResponse> {
    private final BenchmarkServiceStub stub;
    private final SimpleRequest request;
    private final int expectedSize;
    private final LoadMetrics metrics;
    private long startNanos;
    private boolean sizeOk;

    Unary(BenchmarkServiceStub stub, SimpleRequest request, int expectedSize, LoadMetrics metrics) {
      this.stub = stub;
      this.request = request;
      this.expectedSize = expectedSize;
      this.metrics = metrics;
    }

    void next() {
      if (!metrics.running()) {
        metrics.workerDone();
        return;
      }
      sizeOk = false;
      startNanos = System.nanoTime();
      stub.unaryCall(request, this);
    }

    @Override
    public void onNext(SimpleResponse response) {
      sizeOk = response.getPayload().getBody().size() == expectedSize;
    }

    @Override
    public void onError(Throwable t) {
      metrics.failed("UnaryCall failed: " + t);
      metrics.workerDone();
    }

    @Override
    public void onCompleted() {
      if (!sizeOk) {
        metrics.failed("UnaryCall answered without a payload of " + expectedSize + " bytes");
        metrics.workerDone();
        return;
      }
      metrics.completed(startNanos);
      next();
    }
  }

  /** One worker ping-ponging on one StreamingCall. */
  private static final class PingPong implements StreamObserver<SimpleResponse> {
    private final BenchmarkServiceStub stub;
    private final SimpleRequest request;
    private final int expectedSize;
    private final LoadMetrics metrics;
    private StreamObserver<SimpleRequest> requests;
    private long startNanos;

    PingPong(
        BenchmarkServiceStub stub, SimpleRequest request, int expectedSize, LoadMetrics metrics) {
      this.stub = stub;
      this.request = request;
      this.expectedSize = expectedSize;
      this.metrics = metrics;
    }

    void start() {
      requests = stub.streamingCall(this);
      startNanos = System.nanoTime();
      requests.onNext(request);
    }

    @Override
    public void onNext(SimpleResponse response) {
      if (response.getPayload().getBody().size() != expectedSize) {
        metrics.failed("StreamingCall answered without a payload of " + expectedSize + " bytes");
        requests.onError(new IllegalStateException("wrong response size"));
        return;
      }
      metrics.completed(startNanos);
      if (metrics.running()) {
        startNanos = System.nanoTime();
        requests.onNext(request);
      } else {
        requests.onCompleted();
      }
    }

    @Override
    public void onError(Throwable t) {
      metrics.failed("StreamingCall failed: " + t);
      metrics.workerDone();
    }

    @Override
    public void onCompleted() {
      metrics.workerDone();
    }
  }
}
