package com.example.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.StatusProto;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.health.HealthStatusManager;
import dev.grpcspring.health.v1.HealthCheckRequest;
import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcspring.health.v1.HealthGrpc;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * grpc-spring-core alone, no Spring: a server with the generated service and the shipped health
 * service, a client making a call of each kind, and a graceful stop. Runs on a newer protobuf-java
 * than the one our shipped classes were generated for.
 */
class PlainCoreTest {
  @Test
  void runsOnANewerProtobufThanOurClassesWereGeneratedFor() throws ReflectiveOperationException {
    Class<?> runtime = com.google.protobuf.RuntimeVersion.class; // reflectively: not the compile-time constants
    assertThat(runtime.getField("MAJOR").get(null) + "." + runtime.getField("MINOR").get(null) + "."
        + runtime.getField("PATCH").get(null)).isEqualTo("4.36.2");
  }

  @Test
  void servesEveryKindOfCallAndStops() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    Server server = Server.builder().port(0)
        .registerService(new EchoService())
        .registerService(health.getHealthService())
        .build()
        .start();
    ClientConn conn = ClientConn.dial("localhost:" + server.getPort(),
        DialOptions.newBuilder().insecure().build());
    try {
      EchoGrpc.EchoBlockingStub blocking =
          EchoGrpc.newBlockingStub(conn).withDeadlineAfter(30, TimeUnit.SECONDS);
      EchoGrpc.EchoStub async = EchoGrpc.newStub(conn).withDeadlineAfter(30, TimeUnit.SECONDS);

      assertThat(blocking.say(shout("hi")).getText()).isEqualTo("echo hi");

      List<String> repeated = new ArrayList<>();
      Iterator<Reply> replies = blocking.repeat(shout("hey").toBuilder().setTimes(2).build());
      replies.forEachRemaining(r -> repeated.add(r.getText()));
      assertThat(repeated).containsExactly("echo hey 1", "echo hey 2");

      Collector gathered = new Collector();
      StreamObserver<Shout> gather = async.gather(gathered);
      gather.onNext(shout("a"));
      gather.onNext(shout("b"));
      gather.onCompleted();
      assertThat(gathered.done.get(30, TimeUnit.SECONDS)).containsExactly("echo a+b");

      Collector chatted = new Collector();
      StreamObserver<Shout> chat = async.chat(chatted);
      chat.onNext(shout("x"));
      chat.onNext(shout("y"));
      chat.onCompleted();
      assertThat(chatted.done.get(30, TimeUnit.SECONDS)).containsExactly("echo x", "echo y");

      assertThatThrownBy(() -> blocking.say(shout(""))).isInstanceOfSatisfying(
          StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(StatusProto.fromThrowable(e).getDetails(0).is(BadRequest.class)).isTrue();
          });

      assertThat(HealthGrpc.newBlockingStub(conn).withDeadlineAfter(30, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
    } finally {
      conn.close();
      assertThat(server.stop(Duration.ofSeconds(30))).as("graceful stop").isTrue();
    }
    assertThat(server.isTerminated()).isTrue();
  }

  private static Shout shout(String text) {
    return Shout.newBuilder().setText(text).build();
  }

  /** Collects the replies of one call and completes with them when the call ends. */
  private static final class Collector implements StreamObserver<Reply> {
    final List<String> texts = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(Reply value) {
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
