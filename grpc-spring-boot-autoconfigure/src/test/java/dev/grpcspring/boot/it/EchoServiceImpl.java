package dev.grpcspring.boot.it;

import dev.grpcspring.Status;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** The service of the end-to-end tests: one method of each kind, plus failures on request. */
@GrpcService(interceptorNames = "serviceInterceptor")
public class EchoServiceImpl extends EchoServiceGrpc.EchoServiceImplBase {

  /** Thrown for text "missing"; the test advice maps it to NOT_FOUND. */
  public static class MissingException extends RuntimeException {
    public MissingException(String what) {
      super(what + " is missing");
    }
  }

  @Override
  public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
    sleep(request.getDelayMillis());
    switch (request.getText()) {
      case "missing" -> throw new MissingException(request.getText());
      case "crash" -> throw new IllegalStateException("internal detail that must not leak");
      default -> {
        responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).build());
        responseObserver.onCompleted();
      }
    }
  }

  @Override
  public void expand(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
    for (int i = 0; i < request.getCount(); i++) {
      if (i > 0) {
        sleep(request.getDelayMillis());
      }
      responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText() + i).build());
    }
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<EchoRequest> collect(StreamObserver<EchoResponse> responseObserver) {
    List<String> texts = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(EchoRequest value) {
        if (value.getText().equals("missing")) {
          throw new MissingException("streamed " + value.getText());
        }
        texts.add(value.getText());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onNext(EchoResponse.newBuilder().setText(String.join(",", texts)).build());
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> responseObserver) {
    return new StreamObserver<>() {
      @Override
      public void onNext(EchoRequest value) {
        responseObserver.onNext(EchoResponse.newBuilder().setText("re:" + value.getText()).build());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }

  private static void sleep(int millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("Interrupted").asException();
    }
  }
}
