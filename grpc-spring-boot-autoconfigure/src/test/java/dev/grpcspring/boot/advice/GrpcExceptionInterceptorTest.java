package dev.grpcspring.boot.advice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.server.ServerMethodDefinition;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.StreamObserver;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcExceptionInterceptorTest {

  static final Metadata.Key<String> REASON = Metadata.Key.of("reason", Metadata.ASCII_STRING_MARSHALLER);

  static class NotFound extends RuntimeException {
    NotFound(String m) {
      super(m);
    }
  }

  static class Gone extends NotFound {
    Gone(String m) {
      super(m);
    }
  }

  @GrpcAdvice
  static class Advice {
    @GrpcExceptionHandler
    StatusException notFound(NotFound e, MethodDescriptor<?, ?> method) {
      Metadata trailers = new Metadata();
      trailers.put(REASON, "missing:" + method.getBareMethodName());
      return Status.NOT_FOUND.withDescription(e.getMessage()).asException(trailers);
    }

    @GrpcExceptionHandler(Gone.class)
    com.google.rpc.Status gone() {
      return com.google.rpc.Status.newBuilder()
          .setCode(Code.FAILED_PRECONDITION.value())
          .setMessage("gone")
          .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("GONE").build()))
          .build();
    }

    @GrpcExceptionHandler(IllegalArgumentException.class)
    Status invalid(IllegalArgumentException e) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
    }
  }

  /** Fails in each way a service can. */
  static class FailingService extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
      switch (request.getText()) {
        case "throw" -> throw new NotFound("no " + request.getText());
        case "gone" -> throw new Gone("old");
        case "onError" -> responseObserver.onError(new IllegalArgumentException("bad text"));
        case "status" -> throw Status.ABORTED.withDescription("on purpose").asException();
        default -> throw new IllegalStateException("secret internals");
      }
    }

    @Override
    public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> responseObserver) {
      return new StreamObserver<>() {
        @Override
        public void onNext(EchoRequest value) {
          throw new NotFound("stream " + value.getText());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  private final GrpcExceptionInterceptor interceptor = new GrpcExceptionInterceptor(
      new GrpcExceptionTranslator(new GrpcExceptionHandlerMethodResolver(List.of(new Advice()))));

  @SuppressWarnings("unchecked")
  private RecordingServerCall<EchoRequest, EchoResponse> unary(String text,
      List<ServerInterceptor> interceptors) {
    ServerServiceDefinition def = new FailingService().bindService().intercept(interceptors);
    ServerMethodDefinition<EchoRequest, EchoResponse> m =
        (ServerMethodDefinition<EchoRequest, EchoResponse>)
            def.getMethod(EchoServiceGrpc.getEchoMethod().getFullMethodName());
    RecordingServerCall<EchoRequest, EchoResponse> call =
        new RecordingServerCall<>(m.getMethodDescriptor());
    ServerCall.Listener<EchoRequest> listener =
        m.getServerCallHandler().startCall(call, new Metadata());
    if (call.closes == 0) {
      listener.onMessage(EchoRequest.newBuilder().setText(text).build());
      listener.onHalfClose();
    }
    return call;
  }

  private RecordingServerCall<EchoRequest, EchoResponse> unary(String text) {
    return unary(text, List.of(interceptor));
  }

  @Test
  void thrownExceptionMapsToStatusAndTrailers() {
    RecordingServerCall<EchoRequest, EchoResponse> call = unary("throw");
    assertThat(call.closes).isEqualTo(1);
    assertThat(call.status.getCode()).isEqualTo(Code.NOT_FOUND);
    assertThat(call.status.getDescription()).isEqualTo("no throw");
    assertThat(call.trailers.get(REASON)).isEqualTo("missing:Echo");
  }

  @Test
  void mostSpecificHandlerWinsAndProtoStatusBecomesDetails() throws Exception {
    RecordingServerCall<EchoRequest, EchoResponse> call = unary("gone");
    assertThat(call.status.getCode()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(call.status.getDescription()).isEqualTo("gone");
    com.google.rpc.Status details = com.google.rpc.Status.parseFrom(
        call.trailers.get(GrpcExceptionTranslator.STATUS_DETAILS_KEY));
    assertThat(details.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("GONE");
  }

  @Test
  void exceptionPassedToOnErrorIsMapped() {
    RecordingServerCall<EchoRequest, EchoResponse> call = unary("onError");
    assertThat(call.status.getCode()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(call.status.getDescription()).isEqualTo("bad text");
  }

  @Test
  void statusExceptionPassesThrough() {
    RecordingServerCall<EchoRequest, EchoResponse> call = unary("status");
    assertThat(call.status.getCode()).isEqualTo(Code.ABORTED);
    assertThat(call.status.getDescription()).isEqualTo("on purpose");
  }

  @Test
  void unmappedExceptionIsUnknownWithoutItsMessage() {
    RecordingServerCall<EchoRequest, EchoResponse> call = unary("other");
    assertThat(call.closes).isEqualTo(1);
    assertThat(call.status.getCode()).isEqualTo(Code.UNKNOWN);
    assertThat(call.status.getDescription()).doesNotContain("secret");
  }

  @Test
  void exceptionFromALaterInterceptorIsMapped() {
    ServerInterceptor failing = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        throw new IllegalArgumentException("rejected by interceptor");
      }
    };
    RecordingServerCall<EchoRequest, EchoResponse> call =
        unary("ignored", List.of(interceptor, failing));
    assertThat(call.status.getCode()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(call.status.getDescription()).isEqualTo("rejected by interceptor");
  }

  @Test
  @SuppressWarnings("unchecked")
  void exceptionInStreamingRequestHandlerIsMapped() {
    ServerServiceDefinition def = new FailingService().bindService().intercept(List.of(interceptor));
    ServerMethodDefinition<EchoRequest, EchoResponse> m =
        (ServerMethodDefinition<EchoRequest, EchoResponse>)
            def.getMethod(EchoServiceGrpc.getChatMethod().getFullMethodName());
    RecordingServerCall<EchoRequest, EchoResponse> call =
        new RecordingServerCall<>(m.getMethodDescriptor());
    ServerCall.Listener<EchoRequest> listener =
        m.getServerCallHandler().startCall(call, new Metadata());
    listener.onMessage(EchoRequest.newBuilder().setText("x").build());
    assertThat(call.status.getCode()).isEqualTo(Code.NOT_FOUND);
    assertThat(call.status.getDescription()).isEqualTo("stream x");
    // Requests after the failure no longer reach the handler, and the call closes once.
    listener.onMessage(EchoRequest.newBuilder().setText("y").build());
    assertThat(call.closes).isEqualTo(1);
  }

  @Test
  void twoHandlersForOneTypeFailAtStartup() {
    @GrpcAdvice
    class Twice {
      @GrpcExceptionHandler
      Status a(IllegalStateException e) {
        return Status.INTERNAL;
      }

      @GrpcExceptionHandler(IllegalStateException.class)
      Status b() {
        return Status.INTERNAL;
      }
    }
    assertThatThrownBy(() -> new GrpcExceptionHandlerMethodResolver(List.of(new Twice())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("IllegalStateException");
  }
}
