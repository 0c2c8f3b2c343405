package dev.grpcspring.transport.inprocess;

import static dev.grpcspring.transport.inprocess.InProcessHarness.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.server.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server shutdown, names, missing servers and channel close over in-process. */
class InProcessShutdownTest {
  @Test
  void gracefulShutdownLetsCallsInFlightFinishAndRefusesNewOnes() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      CompletableFuture<EchoResponse> inFlight = EchoServiceGrpc.newFutureStub(h.channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS).echo(req("wait"));
      assertThat(h.service.hanging.await(10, TimeUnit.SECONDS)).isTrue();

      h.server.shutdown();

      assertThatThrownBy(() -> h.blocking().echo(req("new")))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE));
      assertThat(h.server.isTerminated()).isFalse();
      h.service.release.countDown();
      assertThat(inFlight.get(10, TimeUnit.SECONDS).getText()).isEqualTo("released");
      assertThat(h.server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void shutdownNowFailsCallsInFlightOnBothSides() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      CompletableFuture<EchoResponse> inFlight = EchoServiceGrpc.newFutureStub(h.channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS).echo(req("hang"));
      assertThat(h.service.hanging.await(10, TimeUnit.SECONDS)).isTrue();

      h.server.shutdownNow();

      assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StatusException.class)
          .satisfies(e -> assertThat(((StatusException) e.getCause()).getStatus().getCode())
              .isEqualTo(Code.UNAVAILABLE));
      h.service.events.poll(10, TimeUnit.SECONDS); // deadline:true
      assertThat(h.service.events.poll(10, TimeUnit.SECONDS)).isEqualTo("cancelled:" + Code.UNAVAILABLE);
      assertThat(h.server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aNameServesOneServerAtATimeAndIsFreeAfterShutdown() throws Exception {
    String name = "taken-" + UUID.randomUUID();
    Server first = Server.builder().inProcessName(name).build().start();
    try {
      assertThatThrownBy(() -> Server.builder().inProcessName(name).build().start())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining("already running");
    } finally {
      first.shutdown();
    }
    assertThat(first.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Server second = Server.builder().inProcessName(name).build().start();
    assertThat(second.getListenAddresses()).containsExactly(new InProcessSocketAddress(name));
    second.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void noServerUnderTheNameFailsFastAndWaitForReadyWaits() throws Exception {
    String name = "missing-" + UUID.randomUUID();
    ClientConn cc = ClientConn.dial("in-process:" + name, DialOptions.newBuilder().insecure()
        .connectBackoff(Duration.ofMillis(50), 1.6, 0.2, Duration.ofMillis(100))
        .build());
    try {
      assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(cc)
          .withDeadlineAfter(10, TimeUnit.SECONDS).echo(req("x")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("no in-process server named '" + name + "'");
          });
      assertThat(cc.getState(false)).isIn(ConnectivityState.TRANSIENT_FAILURE,
          ConnectivityState.IDLE, ConnectivityState.CONNECTING);

      CompletableFuture<EchoResponse> waiting = EchoServiceGrpc.newFutureStub(cc)
          .withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS).echo(req("patient"));
      assertThat(waiting).isNotDone();
      InProcessHarness.Service service = new InProcessHarness.Service();
      Server server = Server.builder().inProcessName(name).registerService(service).build().start();
      try {
        assertThat(waiting.get(20, TimeUnit.SECONDS).getText()).isEqualTo("patient");
      } finally {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      cc.close();
    }
  }

  @Test
  void closingTheChannelEndsItsConnectionOnTheServer() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      assertThat(h.blocking().echo(req("x")).getText()).isEqualTo("x");
      assertThat(h.server.channelz().sockets()).hasSize(1);
      h.channel.close();
      h.server.shutdown();
      // Termination needs every connection closed: the channel's close reached the server.
      assertThat(h.server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void transportReportsShutdownOnGoAwayThenTerminatesWhenDrained() throws Exception {
    try (InProcessHarness h = new InProcessHarness();
        TransportFixture t = new TransportFixture(h.name)) {
      h.server.shutdown();
      assertThat(t.events.poll(10, TimeUnit.SECONDS)).isEqualTo("shutdown:" + Code.UNAVAILABLE);
      assertThat(t.events.poll(10, TimeUnit.SECONDS)).isEqualTo("terminated");
      assertThat(h.server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
