package dev.grpcspring.benchmarks.server;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** BenchmarkService on grpc-java (shaded Netty transport, grpc-java's generated stubs). */
public final class GrpcJavaBenchmarkServer implements BenchmarkServer {
  private final Server server;
  private final LongAdder responses = new LongAdder();
  private final ResponseSizes<SimpleResponse> sizes =
      new ResponseSizes<>(
          size ->
              SimpleResponse.newBuilder()
                  .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
                  .build());

  private GrpcJavaBenchmarkServer(String host, int port, boolean directExecutor) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .maxInboundMessageSize(2 * ResponseSizes.MAX_RESPONSE_BYTES)
            .addService(new Service());
    if (directExecutor) {
      builder.directExecutor();
    }
    this.server = builder.build().start();
  }

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static GrpcJavaBenchmarkServer start(String host, int port, boolean directExecutor)
      throws IOException {
    return new GrpcJavaBenchmarkServer(host, port, directExecutor);
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
        throw new IllegalStateException("grpc-java benchmark server did not stop within 10 s");
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
            Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
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
                Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
          }
          responseObserver.onNext(response);
          responses.increment();
        }

        @Override
        public void onError(Throwable t) {
          // The client cancelled the stream (every ping-pong client does so when it stops); the
          // call is already over and grpc-java has released it, so there is nothing to answer.
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
