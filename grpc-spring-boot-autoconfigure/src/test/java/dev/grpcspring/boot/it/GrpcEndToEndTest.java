package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.server.LocalGrpcServerPort;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A {@code @GrpcService} called through {@code @GrpcClient} stubs on a free port, with the settings
 * of application-e2e.yml.
 */
@SpringBootTest(classes = EchoApplication.class)
@ActiveProfiles("e2e")
class GrpcEndToEndTest {

  @LocalGrpcServerPort
  int port;

  @GrpcClient("echo")
  EchoServiceGrpc.EchoServiceBlockingStub blocking;

  @GrpcClient("echo")
  EchoServiceGrpc.EchoServiceFutureStub future;

  @GrpcClient("echo")
  EchoServiceGrpc.EchoServiceStub async;

  @GrpcClient("slow")
  EchoServiceGrpc.EchoServiceBlockingStub slow;

  @GrpcClient("timed")
  EchoServiceGrpc.EchoServiceBlockingStub timed;

  @org.springframework.beans.factory.annotation.Autowired
  EchoCaller caller;

  @GrpcClient(value = "echo", interceptorNames = "perClient")
  EchoServiceGrpc.EchoServiceBlockingStub intercepted;

  @BeforeEach
  void clear() {
    EchoApplication.INTERCEPTED.clear();
    EchoApplication.CLIENT_INTERCEPTED.clear();
  }

  private static EchoRequest text(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  @Test
  void serverBoundAFreePort() {
    assertThat(port).isPositive().isNotEqualTo(9090);
  }

  @Test
  void unary() throws Exception {
    assertThat(blocking.echo(text("hello")).getText()).isEqualTo("hello");
    assertThat(future.echo(text("later")).get(5, TimeUnit.SECONDS).getText()).isEqualTo("later");
  }

  @Test
  void applicationBeanCallsItsOwnServerThroughAConstructorInjectedStub() {
    assertThat(caller.echo("self")).isEqualTo("self");
  }

  @Test
  void serverStreaming() {
    Iterator<EchoResponse> it =
        blocking.expand(EchoRequest.newBuilder().setText("n").setCount(3).build());
    List<String> texts = new ArrayList<>();
    it.forEachRemaining(r -> texts.add(r.getText()));
    assertThat(texts).containsExactly("n0", "n1", "n2");
  }

  @Test
  void clientStreaming() throws Exception {
    Collector collector = new Collector();
    StreamObserver<EchoRequest> requests = async.collect(collector);
    requests.onNext(text("a"));
    requests.onNext(text("b"));
    requests.onCompleted();
    assertThat(collector.done.get(5, TimeUnit.SECONDS)).containsExactly("a,b");
  }

  @Test
  void bidiStreaming() throws Exception {
    Collector collector = new Collector();
    StreamObserver<EchoRequest> requests = async.chat(collector);
    requests.onNext(text("x"));
    requests.onNext(text("y"));
    requests.onCompleted();
    assertThat(collector.done.get(5, TimeUnit.SECONDS)).containsExactly("re:x", "re:y");
  }

  @Test
  void interceptorsRunGlobalByOrderThenPerService() {
    blocking.echo(text("hi"));
    assertThat(EchoApplication.INTERCEPTED).containsExactly("global-10", "global-20", "service");
  }

  @Test
  void clientInterceptorsRunGlobalThenPerClient() {
    intercepted.echo(text("hi"));
    assertThat(EchoApplication.CLIENT_INTERCEPTED).containsExactly("global-client", "per-client");
    EchoApplication.CLIENT_INTERCEPTED.clear();
    blocking.echo(text("hi"));
    assertThat(EchoApplication.CLIENT_INTERCEPTED).containsExactly("global-client");
  }

  @Test
  void adviceMapsExceptionToStatusAndTrailers() {
    assertThatThrownBy(() -> blocking.echo(text("missing")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("missing is missing");
          assertThat(e.getTrailers().get(EchoApplication.ERROR_REASON)).isEqualTo("missing-thing");
        });
  }

  @Test
  void adviceMapsExceptionFromAStreamingHandler() throws Exception {
    Collector collector = new Collector();
    StreamObserver<EchoRequest> requests = async.collect(collector);
    requests.onNext(text("missing"));
    requests.onCompleted();
    assertThat(collector.done).failsWithin(5, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND);
          assertThat(e.getTrailers().get(EchoApplication.ERROR_REASON)).isEqualTo("missing-thing");
        });
  }

  @Test
  void unmappedExceptionIsUnknownWithoutDetails() {
    assertThatThrownBy(() -> blocking.echo(text("crash")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.UNKNOWN);
          assertThat(String.valueOf(e.getStatus().getDescription())).doesNotContain("internal detail");
        });
  }

  @Test
  void maxInboundMessageSizeFromYamlRejectsLargerRequests() {
    EchoRequest big = EchoRequest.newBuilder().setText("big")
        .setPayload(ByteString.copyFrom(new byte[2048])).build();
    assertThatThrownBy(() -> blocking.echo(big))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    // The connection survives for calls that fit.
    assertThat(blocking.echo(text("small")).getText()).isEqualTo("small");
  }

  @Test
  void deadlineFromYamlEndsASlowCall() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.echo(EchoRequest.newBuilder().setText("z").setDelayMillis(3000)
        .build()))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);
    // A fast call on the same channel gets a fresh deadline.
    assertThat(slow.echo(text("quick")).getText()).isEqualTo("quick");
  }

  @Test
  void methodTimeoutFromTheYamlServiceConfigEndsASlowCall() {
    assertThatThrownBy(() -> timed.echo(EchoRequest.newBuilder().setText("z").setDelayMillis(3000)
        .build()))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
  }

  /** Collects responses; completes with their texts or fails with the call's error. */
  static final class Collector implements StreamObserver<EchoResponse> {
    final List<String> texts = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(EchoResponse value) {
      texts.add(value.getText());
    }

    @Override
    public synchronized void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
      done.complete(List.copyOf(texts));
    }
  }
}
