package dev.grpcspring.benchmarks.client;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.Scenario;
import io.grpc.ManagedChannel;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc.BenchmarkServiceStub;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Load from grpc-java's client (shaded Netty transport, grpc-java's generated stubs). */
public final class GrpcJavaLoadClient implements LoadClient {
  private final String target;
  private final boolean directExecutor;
  private final List<ManagedChannel> channels = new ArrayList<>();

  public GrpcJavaLoadClient(String target, boolean directExecutor) {
    this.target = target;
    this.directExecutor = directExecutor;
  }

  @Override
  public void start(Scenario scenario, LoadMetrics metrics) {
    int size = scenario.payloadBytes();
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(size)
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
            .build();
    for (int c = 0; c < scenario.channels(); c++) {
      NettyChannelBuilder builder =
          NettyChannelBuilder.forTarget(target)
              .usePlaintext()
              .maxInboundMessageSize(Math.max(4 * 1024 * 1024, 2 * size));
      if (directExecutor) {
        builder.directExecutor();
      }
      ManagedChannel channel = builder.build();
      channels.add(channel);
      BenchmarkServiceStub stub = BenchmarkServiceGrpc.newStub(channel);
      for (int w = 0; w < scenario.outstandingPerChannel(); w++) {
        if (scenario.streaming()) {
          new PingPong(stub, request, size, metrics).start();
        } else {
          new Unary(stub, request, size, metrics).next();
        }
      }
    }
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
