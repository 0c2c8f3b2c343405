package dev.grpcspring.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCallsTest {
  private static final Metadata.Key<String> KEY =
      Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);

  /** Records what the adapter asks of the call. */
  private static final class RecordingCall extends ServerCall<String, String> {
    final MethodDescriptor<String, String> method;
    final List<String> events = new ArrayList<>();
    Status closedWith;
    Metadata closedTrailers;
    boolean cancelled;

    RecordingCall(MethodType type) {
      this.method = FakeMethods.method(type);
    }

    @Override
    public void request(int numMessages) {
      events.add("request " + numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      events.add("headers");
    }

    @Override
    public void sendMessage(String message) {
      events.add("message " + message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      events.add("close " + status.getCode());
      closedWith = status;
      closedTrailers = trailers;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public MethodDescriptor<String, String> getMethodDescriptor() {
      return method;
    }
  }

  @Test
  void unaryInvokesAfterHalfCloseAndSendsHeadersMessageAndOk() {
    RecordingCall call = new RecordingCall(MethodType.UNARY);
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncUnaryCall((req, obs) -> {
      obs.onNext("hi " + req);
      obs.onCompleted();
    }).startCall(call, new Metadata());

    listener.onMessage("ann");
    assertThat(call.events).containsExactly("request 2");
    listener.onHalfClose();

    assertThat(call.events).containsExactly("request 2", "headers", "message hi ann", "close OK");
  }

  @Test
  void unaryWithTwoRequestsFailsInternal() {
    RecordingCall call = new RecordingCall(MethodType.UNARY);
    List<String> invoked = new ArrayList<>();
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncUnaryCall(
        (req, obs) -> invoked.add(req)).startCall(call, new Metadata());

    listener.onMessage("a");
    listener.onMessage("b");
    listener.onHalfClose();

    assertThat(call.closedWith.getCode()).isEqualTo(Code.INTERNAL);
    assertThat(call.closedWith.getDescription()).contains("Too many requests");
    assertThat(invoked).isEmpty();
  }

  @Test
  void unaryWithoutRequestFailsInternal() {
    RecordingCall call = new RecordingCall(MethodType.UNARY);
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncUnaryCall(
        (req, obs) -> obs.onCompleted()).startCall(call, new Metadata());

    listener.onHalfClose();

    assertThat(call.closedWith.getCode()).isEqualTo(Code.INTERNAL);
  }

  @Test
  void onErrorWithStatusExceptionSendsItsStatusAndTrailers() {
    RecordingCall call = new RecordingCall(MethodType.UNARY);
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncUnaryCall((req, obs) -> {
      Metadata trailers = new Metadata();
      trailers.put(KEY, "detail");
      obs.onError(Status.FAILED_PRECONDITION.withDescription("bad state").asException(trailers));
    }).startCall(call, new Metadata());

    listener.onMessage("x");
    listener.onHalfClose();

    assertThat(call.closedWith.getCode()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(call.closedWith.getDescription()).isEqualTo("bad state");
    assertThat(call.closedTrailers.get(KEY)).isEqualTo("detail");
    assertThat(call.events).doesNotContain("headers");
  }

  @Test
  void onErrorWithOtherThrowableIsUnknown() {
    RecordingCall call = new RecordingCall(MethodType.SERVER_STREAMING);
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncServerStreamingCall(
        (req, obs) -> obs.onError(new IllegalStateException("boom"))).startCall(call, new Metadata());

    listener.onMessage("x");
    listener.onHalfClose();

    assertThat(call.closedWith.getCode()).isEqualTo(Code.UNKNOWN);
  }

  @Test
  void bidiFeedsRequestsAndRequestsOneAtATime() {
    RecordingCall call = new RecordingCall(MethodType.BIDI_STREAMING);
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncBidiStreamingCall(
        obs -> new StreamObserver<>() {
          @Override
          public void onNext(String value) {
            obs.onNext(value + "!");
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            obs.onCompleted();
          }
        }).startCall(call, new Metadata());

    listener.onMessage("a");
    listener.onMessage("b");
    listener.onHalfClose();

    assertThat(call.events).containsExactly(
        "request 1", "headers", "message a!", "request 1", "message b!", "request 1", "close OK");
  }

  @Test
  void cancelBeforeHalfCloseFailsTheRequestObserverAndRunsTheHandler() {
    RecordingCall call = new RecordingCall(MethodType.CLIENT_STREAMING);
    List<String> seen = new ArrayList<>();
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncClientStreamingCall(obs -> {
      ((ServerCallStreamObserver<String>) obs).setOnCancelHandler(() -> seen.add("cancel handler"));
      return new StreamObserver<>() {
        @Override
        public void onNext(String value) {}

        @Override
        public void onError(Throwable t) {
          seen.add("error " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {}
      };
    }).startCall(call, new Metadata());

    listener.onCancel();

    assertThat(seen).containsExactly("cancel handler", "error CANCELLED");
  }

  @Test
  void onNextAfterCancelWithoutHandlerThrowsCancelled() {
    RecordingCall call = new RecordingCall(MethodType.BIDI_STREAMING);
    List<StreamObserver<String>> observers = new ArrayList<>();
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncBidiStreamingCall(obs -> {
      observers.add(obs);
      return ServerCalls.asyncUnimplementedStreamingCall(call.method, new StreamObserver<String>() {
        @Override
        public void onNext(String value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      });
    }).startCall(call, new Metadata());

    listener.onCancel();

    assertThatThrownBy(() -> observers.get(0).onNext("late"))
        .isInstanceOfSatisfying(StatusException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Code.CANCELLED));
  }

  @Test
  void handlersCannotBeSetAfterTheMethodReturns() {
    RecordingCall call = new RecordingCall(MethodType.UNARY);
    List<ServerCallStreamObserver<String>> observers = new ArrayList<>();
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncUnaryCall(
        (req, obs) -> observers.add((ServerCallStreamObserver<String>) obs)).startCall(call, new Metadata());
    listener.onMessage("x");
    listener.onHalfClose();

    assertThatThrownBy(() -> observers.get(0).setOnCancelHandler(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside the service method");
  }

  @Test
  void unimplementedUnaryClosesWithUnimplemented() {
    RecordingCall call = new RecordingCall(MethodType.UNARY);
    ServerCall.Listener<String> listener = ServerCalls.<String, String>asyncUnaryCall(
        (req, obs) -> ServerCalls.asyncUnimplementedUnaryCall(call.method, obs)).startCall(call, new Metadata());
    listener.onMessage("x");
    listener.onHalfClose();

    assertThat(call.closedWith.getCode()).isEqualTo(Code.UNIMPLEMENTED);
    assertThat(call.closedWith.getDescription()).contains("test.Svc/UNARY");
  }
}
