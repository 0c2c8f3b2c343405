package dev.grpcspring.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.codegen.RecordingChannel.RecordingCall;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.codegen.test.clash.Clash;
import dev.grpcspring.codegen.test.clash.ClashGrpc;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generated client stubs, on a channel that records what they ask of it. */
// Deliberately exercises the deprecated parts of the generated code.
@SuppressWarnings("deprecation")
class GeneratedStubsTest {
  private static final EchoRequest HELLO = EchoRequest.newBuilder().setText("hello").build();
  private static final EchoResponse ONE = EchoResponse.newBuilder().setText("one").build();
  private static final EchoResponse TWO = EchoResponse.newBuilder().setText("two").setIndex(1)
      .build();
  private static final CallOptions.Key<String> TENANT = CallOptions.Key.create("tenant");

  private final RecordingChannel channel = new RecordingChannel();

  @Test
  void asyncUnaryUsesTheStubsCallOptions() {
    channel.answer(Status.OK, ONE);
    RecordingObserver<EchoResponse> observer = new RecordingObserver<>();

    EchoServiceGrpc.newStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .withCompression("gzip")
        .withWaitForReady()
        .withOption(TENANT, "blue")
        .echo(HELLO, observer);

    RecordingCall<?, ?> call = channel.onlyCall();
    assertThat(call.method).isSameAs(EchoServiceGrpc.getEchoMethod());
    assertThat(call.callOptions.getDeadline()).isNotNull();
    assertThat(call.callOptions.getDeadline().timeRemaining(TimeUnit.SECONDS)).isBetween(1L, 5L);
    assertThat(call.callOptions.getCompressor()).isEqualTo("gzip");
    assertThat(call.callOptions.isWaitForReady()).isTrue();
    assertThat(call.callOptions.getOption(TENANT)).isEqualTo("blue");
    assertThat(List.<Object>copyOf(call.sent)).containsExactly(HELLO);
    assertThat(call.events).containsSubsequence("start", "sendMessage", "halfClose");
    assertThat(observer.values).containsExactly(ONE);
    assertThat(observer.completed).isTrue();
  }

  @Test
  void asyncServerStreamingDeliversEveryResponse() {
    channel.answer(Status.OK, ONE, TWO);
    RecordingObserver<EchoResponse> observer = new RecordingObserver<>();

    EchoServiceGrpc.newStub(channel).expand(HELLO, observer);

    assertThat(channel.onlyCall().method).isSameAs(EchoServiceGrpc.getExpandMethod());
    assertThat(observer.values).containsExactly(ONE, TWO);
    assertThat(observer.completed).isTrue();
  }

  @Test
  void asyncClientStreamingSendsEveryRequest() {
    channel.answer(Status.OK, ONE);
    RecordingObserver<EchoResponse> observer = new RecordingObserver<>();

    StreamObserver<EchoRequest> requests =
        EchoServiceGrpc.newStub(channel).withCompression("deflate").collect(observer);
    requests.onNext(HELLO);
    requests.onNext(EchoRequest.newBuilder().setText("more").build());
    requests.onCompleted();

    RecordingCall<?, ?> call = channel.onlyCall();
    assertThat(call.method).isSameAs(EchoServiceGrpc.getCollectMethod());
    assertThat(call.callOptions.getCompressor()).isEqualTo("deflate");
    assertThat(call.sent).extracting(r -> ((EchoRequest) r).getText())
        .containsExactly("hello", "more");
    assertThat(observer.values).containsExactly(ONE);
    assertThat(observer.completed).isTrue();
  }

  @Test
  void asyncBidiStreamingRoutesToChat() {
    channel.answer(Status.OK, ONE, TWO);
    RecordingObserver<EchoResponse> observer = new RecordingObserver<>();

    StreamObserver<EchoRequest> requests = EchoServiceGrpc.newStub(channel).chat(observer);
    requests.onNext(HELLO);
    requests.onCompleted();

    assertThat(channel.onlyCall().method).isSameAs(EchoServiceGrpc.getChatMethod());
    assertThat(List.<Object>copyOf(channel.onlyCall().sent)).containsExactly(HELLO);
    assertThat(observer.values).containsExactly(ONE, TWO);
  }

  @Test
  void asyncErrorReachesTheObserver() {
    channel.answer(Status.NOT_FOUND.withDescription("nobody"));
    RecordingObserver<EchoResponse> observer = new RecordingObserver<>();

    EchoServiceGrpc.newStub(channel).echo(HELLO, observer);

    assertThat(observer.error).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND));
  }

  @Test
  void blockingUnaryReturnsTheResponse() {
    channel.answer(Status.OK, ONE);

    EchoResponse response = EchoServiceGrpc.newBlockingStub(channel)
        .withCompression("gzip").echo(HELLO);

    assertThat(response).isEqualTo(ONE);
    RecordingCall<?, ?> call = channel.onlyCall();
    assertThat(call.method).isSameAs(EchoServiceGrpc.getEchoMethod());
    assertThat(call.callOptions.getCompressor()).isEqualTo("gzip");
    // Blocking calls run their callbacks on the caller's thread through their own executor.
    assertThat(call.callOptions.getExecutor()).isNotNull();
  }

  @Test
  void blockingUnaryThrowsTheStatus() {
    channel.answer(Status.PERMISSION_DENIED.withDescription("no"));
    assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(channel).oldEcho(HELLO))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED));
    assertThat(channel.onlyCall().method).isSameAs(EchoServiceGrpc.getOldEchoMethod());
  }

  @Test
  void blockingServerStreamingIterates() {
    channel.answer(Status.OK, ONE, TWO);

    Iterator<EchoResponse> it = EchoServiceGrpc.newBlockingStub(channel).expand(HELLO);
    List<EchoResponse> got = new ArrayList<>();
    it.forEachRemaining(got::add);

    assertThat(got).containsExactly(ONE, TWO);
    assertThat(channel.onlyCall().method).isSameAs(EchoServiceGrpc.getExpandMethod());
  }

  @Test
  void futureUnaryCompletes() throws Exception {
    channel.answer(Status.OK, ONE);

    CompletableFuture<EchoResponse> future =
        EchoServiceGrpc.newFutureStub(channel).withWaitForReady().echo(HELLO);

    assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo(ONE);
    assertThat(channel.onlyCall().callOptions.isWaitForReady()).isTrue();
  }

  @Test
  void futureUnaryFailsWithTheStatus() {
    channel.answer(Status.UNIMPLEMENTED);
    CompletableFuture<EchoResponse> future = EchoServiceGrpc.newFutureStub(channel).echo(HELLO);
    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED));
  }

  @Test
  void interceptorsSeeTheGeneratedMethod() {
    channel.answer(Status.OK, ONE);
    List<String> seen = new ArrayList<>();
    ClientInterceptor interceptor = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        seen.add(method.getFullMethodName());
        return next.newCall(method, callOptions);
      }
    };

    EchoServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor).echo(HELLO);

    assertThat(seen).containsExactly("grpcspring.codegen.test.EchoService/Echo");
    assertThat(channel.onlyCall().method).isSameAs(EchoServiceGrpc.getEchoMethod());
  }

  @Test
  void withMethodsReturnNewStubsOfTheSameType() {
    EchoServiceGrpc.EchoServiceBlockingStub plain = EchoServiceGrpc.newBlockingStub(channel);
    EchoServiceGrpc.EchoServiceBlockingStub gzip = plain.withCompression("gzip");
    assertThat(gzip).isNotSameAs(plain);
    assertThat(gzip.getCallOptions().getCompressor()).isEqualTo("gzip");
    assertThat(plain.getCallOptions().getCompressor()).isNull();
    assertThat(gzip.getChannel()).isSameAs(channel);
    assertThat(EchoServiceGrpc.newStub(channel).withWaitForReady())
        .isInstanceOf(EchoServiceGrpc.EchoServiceStub.class);
    assertThat(EchoServiceGrpc.newFutureStub(channel).withWaitForReady())
        .isInstanceOf(EchoServiceGrpc.EchoServiceFutureStub.class);
  }

  @Test
  void clashingNamesRouteToTheirProtoMethods() {
    channel.answer(Status.OK, Clash.newBuilder().setValue("ok").build());
    ClashGrpc.ClashBlockingStub stub = ClashGrpc.newBlockingStub(channel);

    assertThat(stub.class_(Clash.getDefaultInstance()).getValue()).isEqualTo("ok");
    assertThat(stub.getChannel_(Clash.getDefaultInstance()).getValue()).isEqualTo("ok");
    assertThat(stub.build_(Clash.getDefaultInstance()).getValue()).isEqualTo("ok");
    assertThat(stub.toString_(Clash.getDefaultInstance()).getValue()).isEqualTo("ok");

    assertThat(channel.calls).extracting(c -> c.method.getBareMethodName())
        .containsExactly("Class", "GetChannel", "Build", "ToString");
    // The inherited members keep working next to the renamed RPCs.
    assertThat(stub.getChannel()).isSameAs(channel);
    assertThat(stub.toString()).doesNotContain("ok");
  }

  /** Records what a stub delivers. */
  private static final class RecordingObserver<T> implements StreamObserver<T> {
    final List<T> values = new ArrayList<>();
    Throwable error;
    boolean completed;

    @Override
    public void onNext(T value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }
}
