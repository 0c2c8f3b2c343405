package dev.grpcspring.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.codegen.test.clash.Clash;
import dev.grpcspring.codegen.test.clash.ClashGrpc;
import dev.grpcspring.server.ServerMethodDefinition;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.StreamObserver;
import org.junit.jupiter.api.Test;

/** The generated server base class, driven through the handlers its bindService() builds. */
// Deliberately exercises the deprecated parts of the generated code.
@SuppressWarnings("deprecation")
class GeneratedImplBaseTest {
  private static final EchoRequest HELLO = EchoRequest.newBuilder().setText("hello").build();

  /** Overrides nothing. */
  private static final class NothingImplemented extends EchoServiceGrpc.EchoServiceImplBase {}

  @Test
  void bindServiceExposesEveryMethodWithItsKind() {
    ServerServiceDefinition def = new NothingImplemented().bindService();
    assertThat(def.getServiceDescriptor()).isSameAs(EchoServiceGrpc.getServiceDescriptor());
    assertThat(def.getMethods()).extracting(d -> d.getMethodDescriptor().getFullMethodName())
        .containsExactly(
            "grpcspring.codegen.test.EchoService/Echo",
            "grpcspring.codegen.test.EchoService/Collect",
            "grpcspring.codegen.test.EchoService/Expand",
            "grpcspring.codegen.test.EchoService/Chat",
            "grpcspring.codegen.test.EchoService/OldEcho",
            "grpcspring.codegen.test.EchoService/Dig",
            "grpcspring.codegen.test.EchoService/Share",
            "grpcspring.codegen.test.EchoService/Wrap");
    for (ServerMethodDefinition<?, ?> m : def.getMethods()) {
      assertThat(m.getMethodDescriptor())
          .isSameAs(EchoServiceGrpc.getServiceDescriptor().getMethods().stream()
              .filter(d -> d.getFullMethodName().equals(m.getMethodDescriptor().getFullMethodName()))
              .findFirst().orElseThrow());
    }
  }

  @Test
  void unaryMethodAnswersUnimplemented() {
    RecordingServerCall<EchoRequest, EchoResponse> call =
        runSingleRequest(new NothingImplemented(), EchoServiceGrpc.getEchoMethod());
    assertUnimplemented(call, "grpcspring.codegen.test.EchoService/Echo");
  }

  @Test
  void serverStreamingMethodAnswersUnimplemented() {
    RecordingServerCall<EchoRequest, EchoResponse> call =
        runSingleRequest(new NothingImplemented(), EchoServiceGrpc.getExpandMethod());
    assertUnimplemented(call, "grpcspring.codegen.test.EchoService/Expand");
  }

  @Test
  void clientStreamingMethodAnswersUnimplementedAndIgnoresLaterRequests() {
    RecordingServerCall<EchoRequest, EchoResponse> call =
        new RecordingServerCall<>(EchoServiceGrpc.getCollectMethod());
    ServerCall.Listener<EchoRequest> listener =
        handler(new NothingImplemented(), EchoServiceGrpc.getCollectMethod())
            .startCall(call, new Metadata());
    assertUnimplemented(call, "grpcspring.codegen.test.EchoService/Collect");
    // Requests already in flight must not fail or close the call a second time.
    listener.onMessage(HELLO);
    listener.onHalfClose();
    listener.onComplete();
    assertThat(call.sent).isEmpty();
  }

  @Test
  void bidiMethodAnswersUnimplemented() {
    RecordingServerCall<EchoRequest, EchoResponse> call =
        new RecordingServerCall<>(EchoServiceGrpc.getChatMethod());
    handler(new NothingImplemented(), EchoServiceGrpc.getChatMethod())
        .startCall(call, new Metadata());
    assertUnimplemented(call, "grpcspring.codegen.test.EchoService/Chat");
  }

  @Test
  void overriddenUnaryMethodServes() {
    EchoServiceGrpc.EchoServiceImplBase impl = new EchoServiceGrpc.EchoServiceImplBase() {
      @Override
      public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
        responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText() + "!").build());
        responseObserver.onCompleted();
      }
    };
    RecordingServerCall<EchoRequest, EchoResponse> call =
        runSingleRequest(impl, EchoServiceGrpc.getEchoMethod());
    assertThat(call.sent).extracting(EchoResponse::getText).containsExactly("hello!");
    assertThat(call.closedWith.getCode()).isEqualTo(Code.OK);

    // The other methods are still unimplemented.
    assertUnimplemented(runSingleRequest(impl, EchoServiceGrpc.getOldEchoMethod()),
        "grpcspring.codegen.test.EchoService/OldEcho");
  }

  @Test
  void overriddenBidiMethodServes() {
    EchoServiceGrpc.EchoServiceImplBase impl = new EchoServiceGrpc.EchoServiceImplBase() {
      @Override
      public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> responseObserver) {
        return new StreamObserver<>() {
          private int index;

          @Override
          public void onNext(EchoRequest value) {
            responseObserver.onNext(
                EchoResponse.newBuilder().setText(value.getText()).setIndex(index++).build());
          }

          @Override
          public void onError(Throwable t) {
            throw new AssertionError("unexpected", t);
          }

          @Override
          public void onCompleted() {
            responseObserver.onCompleted();
          }
        };
      }
    };
    RecordingServerCall<EchoRequest, EchoResponse> call =
        new RecordingServerCall<>(EchoServiceGrpc.getChatMethod());
    ServerCall.Listener<EchoRequest> listener =
        handler(impl, EchoServiceGrpc.getChatMethod()).startCall(call, new Metadata());
    listener.onMessage(HELLO);
    listener.onMessage(EchoRequest.newBuilder().setText("again").build());
    listener.onHalfClose();

    assertThat(call.sent).extracting(EchoResponse::getText).containsExactly("hello", "again");
    assertThat(call.sent).extracting(EchoResponse::getIndex).containsExactly(0, 1);
    assertThat(call.closedWith.getCode()).isEqualTo(Code.OK);
  }

  @Test
  void clashingNamesStillRouteToTheRightMethod() {
    ClashGrpc.ClashImplBase impl = new ClashGrpc.ClashImplBase() {
      @Override
      public void class_(Clash request, StreamObserver<Clash> responseObserver) {
        responseObserver.onNext(Clash.newBuilder().setValue("class:" + request.getValue()).build());
        responseObserver.onCompleted();
      }

      @Override
      public void getChannel_(Clash request, StreamObserver<Clash> responseObserver) {
        responseObserver.onNext(Clash.newBuilder().setValue("channel").build());
        responseObserver.onCompleted();
      }
    };
    ServerServiceDefinition def = impl.bindService();
    assertThat(def.getMethods()).hasSize(10);

    RecordingServerCall<Clash, Clash> call = runSingleRequest(impl, ClashGrpc.getClassMethod(),
        Clash.newBuilder().setValue("x").build());
    assertThat(call.sent).extracting(Clash::getValue).containsExactly("class:x");

    call = runSingleRequest(impl, ClashGrpc.getGetChannelMethod(), Clash.getDefaultInstance());
    assertThat(call.sent).extracting(Clash::getValue).containsExactly("channel");

    call = runSingleRequest(impl, ClashGrpc.getBindServiceMethod(), Clash.getDefaultInstance());
    assertUnimplemented(call, "grpcspring.codegen.test.clash.Clash/BindService");
  }

  private static RecordingServerCall<EchoRequest, EchoResponse> runSingleRequest(
      EchoServiceGrpc.EchoServiceImplBase impl, MethodDescriptor<EchoRequest, EchoResponse> m) {
    return runSingleRequest((dev.grpcspring.server.BindableService) impl, m, HELLO);
  }

  private static <Q, R> RecordingServerCall<Q, R> runSingleRequest(
      dev.grpcspring.server.BindableService impl, MethodDescriptor<Q, R> method, Q request) {
    RecordingServerCall<Q, R> call = new RecordingServerCall<>(method);
    ServerCall.Listener<Q> listener = handler(impl, method).startCall(call, new Metadata());
    assertThat(call.requested).isPositive();
    listener.onMessage(request);
    listener.onHalfClose();
    return call;
  }

  @SuppressWarnings("unchecked")
  private static <Q, R> ServerCallHandler<Q, R> handler(
      dev.grpcspring.server.BindableService impl, MethodDescriptor<Q, R> method) {
    ServerMethodDefinition<?, ?> def = impl.bindService().getMethod(method.getFullMethodName());
    assertThat(def).as("handler for %s", method.getFullMethodName()).isNotNull();
    assertThat(def.getMethodDescriptor()).isSameAs(method);
    return (ServerCallHandler<Q, R>) def.getServerCallHandler();
  }

  private static void assertUnimplemented(RecordingServerCall<?, ?> call, String fullName) {
    assertThat(call.closedWith).as("closed status").isNotNull();
    assertThat(call.closedWith.getCode()).isEqualTo(Code.UNIMPLEMENTED);
    assertThat(call.closedWith.getDescription()).contains(fullName);
    assertThat(call.sent).isEmpty();
  }
}
