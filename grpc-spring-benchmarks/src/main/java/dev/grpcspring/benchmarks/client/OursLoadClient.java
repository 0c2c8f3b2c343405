package dev.grpcspring.benchmarks.client;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.LoadShape;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleResponse;
import dev.grpcspring.benchmarks.proto.BenchmarkServiceGrpc;
import dev.grpcspring.benchmarks.proto.BenchmarkServiceGrpc.BenchmarkServiceStub;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** Load from grpc-spring's client ({@link ClientConn}, our generated stubs). */
public final class OursLoadClient implements LoadClient {
  private final String target;
  private final boolean directExecutor;
  private final BenchmarkTls tls;
  private final List<ClientConn> channels = new ArrayList<>();

  public OursLoadClient(String target, boolean directExecutor) {
    this(target, directExecutor, null);
  }

  /** Over TLS when {@code tls} is not null, with the authority {@code localhost}. */
  public OursLoadClient(String target, boolean directExecutor, BenchmarkTls tls) {
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
    DialOptions.Builder options = DialOptions.newBuilder();
    if (tls == null) {
      options.insecure();
    } else {
      try {
        options.transportCredentials(tls.oursChannel()).authority("localhost");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("Cannot read the run's CA in " + tls.dir(), e);
      }
    }
    if (directExecutor) {
      options.executor(Runnable::run);
    }
    DialOptions dialOptions = options.build();
    for (int c = 0; c < load.channels(); c++) {
      ClientConn channel = ClientConn.dial(target, dialOptions);
      channels.add(channel);
      BenchmarkServiceStub stub =
          BenchmarkServiceGrpc.newStub(channel)
              .withMaxInboundMessageSize(Math.max(4 * 1024 * 1024, 2 * size));
      for (int w = 0; w < load.outstandingPerChannel(); w++) {
        if (load.streaming()) {
          new PingPong(stub, request, size, metrics).start();
        } else {
          new Unary(stub, request, size, metrics).next();
        }
      }
    }
  }

  @Override
  public void close() {
    for (ClientConn channel : channels) {
      channel.close();
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
