package dev.grpcspring.benchmarks.server;

import com.google.protobuf.ByteString;
import dev.grpcspring.Status;
import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleResponse;
import dev.grpcspring.benchmarks.proto.BenchmarkServiceGrpc;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerBuilder;
import dev.grpcspring.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** BenchmarkService on grpc-spring ({@link Server}, our generated ImplBase). */
public final class OursBenchmarkServer implements BenchmarkServer {
  private final Server server;
  private final LongAdder responses = new LongAdder();
  private final ResponseSizes<SimpleResponse> sizes =
      new ResponseSizes<>(
          size ->
              SimpleResponse.newBuilder()
                  .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
                  .build());

  private OursBenchmarkServer(String host, int port, boolean directExecutor, BenchmarkTls tls,
      int eventLoopThreads) throws IOException {
    ServerBuilder builder =
        Server.builder()
            .address(new InetSocketAddress(host, port))
            .maxInboundMessageSize(2 * ResponseSizes.MAX_RESPONSE_BYTES)
            .registerService(new Service());
    if (directExecutor) {
      builder.directExecutor();
    }
    if (tls != null) {
      builder.credentials(tls.oursServer());
    }
    if (eventLoopThreads > 0) {
      builder.eventLoopThreads(eventLoopThreads);
    }
    this.server = builder.build().start();
  }

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static OursBenchmarkServer start(String host, int port, boolean directExecutor)
      throws IOException {
    return new OursBenchmarkServer(host, port, directExecutor, null, 0);
  }

  /**
   * Starts serving on {@code host:port}, over TLS when {@code tls} is not null, with
   * {@code eventLoopThreads} I/O threads (0: the server's default, one per core).
   */
  public static OursBenchmarkServer start(String host, int port, boolean directExecutor,
      BenchmarkTls tls, int eventLoopThreads) throws IOException {
    return new OursBenchmarkServer(host, port, directExecutor, tls, eventLoopThreads);
  }

  @Override
  public int port() {
    return server.getPort();
  }

  @Override
  public long responsesSent() {
    return responses.sum();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("grpc-spring benchmark server did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Service extends BenchmarkServiceGrpc.BenchmarkServiceImplBase {
    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
      SimpleResponse response;
      try {
        response = sizes.get(request.getResponseSize());
      } catch (IllegalArgumentException e) {
        responseObserver.onError(
            Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        return;
      }
      responseObserver.onNext(response);
      responseObserver.onCompleted();
      responses.increment();
    }

    @Override
    public StreamObserver<SimpleRequest> streamingCall(
        StreamObserver<SimpleResponse> responseObserver) {
      return new StreamObserver<>() {
        private boolean failed;

        @Override
        public void onNext(SimpleRequest request) {
          if (failed) {
            return;
          }
          SimpleResponse response;
          try {
            response = sizes.get(request.getResponseSize());
          } catch (IllegalArgumentException e) {
            failed = true;
            responseObserver.onError(
                Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
          }
          responseObserver.onNext(response);
          responses.increment();
        }

        @Override
        public void onError(Throwable t) {
          // The client cancelled the stream (every ping-pong client does so when it stops); the
          // call is already over, so there is nothing to answer.
        }

        @Override
        public void onCompleted() {
          if (!failed) {
            responseObserver.onCompleted();
          }
        }
      };
    }
  }
}
