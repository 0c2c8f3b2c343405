package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.server.GrpcServerShutdownEvent;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing the context drains the server: calls in flight finish, new ones are refused. */
class GracefulShutdownTest {

  @Test
  void inFlightStreamFinishesWithinTheGracePeriodWhileNewCallsAreRefused() throws Exception {
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(EchoApplication.class)
        .profiles("e2e")
        .run("--grpc.server.shutdown.grace-period=10s");
    CountDownLatch draining = new CountDownLatch(1);
    ctx.addApplicationListener(
        (ApplicationListener<GrpcServerShutdownEvent>) e -> draining.countDown());
    int port = ctx.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
    ClientConn inFlight = ClientConn.dial("localhost:" + port,
        DialOptions.newBuilder().insecure().build());
    ClientConn late = null;
    try {
      List<String> received = new CopyOnWriteArrayList<>();
      CountDownLatch first = new CountDownLatch(1);
      CompletableFuture<Void> done = new CompletableFuture<>();
      EchoServiceGrpc.newStub(inFlight).expand(
          EchoRequest.newBuilder().setText("s").setCount(4).setDelayMillis(300).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(EchoResponse value) {
              received.add(value.getText());
              first.countDown();
            }

            @Override
            public void onError(Throwable t) {
              done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              done.complete(null);
            }
          });
      assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      Thread closer = new Thread(ctx::close, "context-close");
      closer.start();
      assertThat(draining.await(5, TimeUnit.SECONDS)).isTrue();

      // The server no longer accepts: a call on a new connection is refused.
      late = ClientConn.dial("localhost:" + port, DialOptions.newBuilder().insecure().build());
      EchoServiceGrpc.EchoServiceBlockingStub lateStub = EchoServiceGrpc.newBlockingStub(late)
          .withDeadlineAfter(5, TimeUnit.SECONDS);
      assertThatThrownBy(() -> lateStub.echo(EchoRequest.newBuilder().setText("late").build()))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE));

      done.get(5, TimeUnit.SECONDS);
      assertThat(received).containsExactly("s0", "s1", "s2", "s3");
      closer.join(10_000);
      assertThat(closer.isAlive()).isFalse();
      // Shutdown waited for the stream, not for the whole grace period.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000);
    } finally {
      inFlight.close();
      if (late != null) {
        late.close();
      }
      ctx.close();
    }
  }

  @Test
  void callsStillRunningAfterTheGracePeriodAreCancelled() throws Exception {
    assertCancelledWithinSeconds(3, "--grpc.server.shutdown.grace-period=300ms");
  }

  @Test
  void theShutdownPhaseTimeoutBoundsTheGracePeriod() throws Exception {
    assertCancelledWithinSeconds(3, "--grpc.server.shutdown.grace-period=30s",
        "--spring.lifecycle.timeout-per-shutdown-phase=300ms");
  }

  private static void assertCancelledWithinSeconds(int seconds, String... args) throws Exception {
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(EchoApplication.class)
        .profiles("e2e")
        .run(args);
    int port = ctx.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
    ClientConn conn = ClientConn.dial("localhost:" + port,
        DialOptions.newBuilder().insecure().build());
    try {
      CompletableFuture<Throwable> failed = new CompletableFuture<>();
      CountDownLatch first = new CountDownLatch(1);
      EchoServiceGrpc.newStub(conn).expand(
          EchoRequest.newBuilder().setText("x").setCount(50).setDelayMillis(200).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(EchoResponse value) {
              first.countDown();
            }

            @Override
            public void onError(Throwable t) {
              failed.complete(t);
            }

            @Override
            public void onCompleted() {
              failed.complete(null);
            }
          });
      assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      ctx.close();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .isLessThan(seconds * 1000L);
      Throwable t = failed.get(5, TimeUnit.SECONDS);
      assertThat(t).isInstanceOf(StatusException.class);
    } finally {
      conn.close();
    }
  }
}
