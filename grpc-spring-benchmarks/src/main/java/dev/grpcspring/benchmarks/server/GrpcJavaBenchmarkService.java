package dev.grpcspring.benchmarks.server;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.LongAdder;

/**
 * BenchmarkService on grpc-java's generated stubs, served by grpc-java's server and by Armeria's
 * gRPC service (both take a grpc-java {@code BindableService}). It answers from {@link
 * ResponseSizes} like every other server here, so all of them do the same service work.
 */
final class GrpcJavaBenchmarkService extends BenchmarkServiceGrpc.BenchmarkServiceImplBase {
  private final LongAdder responses = new LongAdder();
  private final ResponseSizes<SimpleResponse> sizes =
      new ResponseSizes<>(
          size ->
              SimpleResponse.newBuilder()
                  .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
                  .build());

  long responsesSent() {
    return responses.sum();
  }

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
        // call is already over and the runtime has released it, so there is nothing to answer.
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
