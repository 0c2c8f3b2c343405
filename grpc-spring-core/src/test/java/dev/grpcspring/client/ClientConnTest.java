package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.StatusException;
import dev.grpcspring.stub.ClientCalls;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Channel behaviour against real local servers: dialing, backoff, pick_first, states. */
class ClientConnTest {
  static DialOptions.Builder fast() {
    return DialOptions.newBuilder().insecure()
        .connectBackoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofMillis(300))
        .minConnectTimeout(Duration.ofSeconds(5));
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void blockingDialToClosedPortFailsAfterTheTimeoutWithTheConnectionError() throws Exception {
    int port = closedPort();
    long start = System.nanoTime();
    assertThatThrownBy(() -> ClientConn.dial("127.0.0.1:" + port,
            fast().block().timeout(Duration.ofMillis(800)).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED);
          assertThat(e.getMessage()).contains("last connection error").contains("127.0.0.1:" + port)
              .containsIgnoringCase("refused");
        });
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).isBetween(700L, 3000L);
  }

  @Test
  void blockingDialFailsAtOnceOnANonTemporaryError() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> ClientConn.dial("no-such-host.invalid:443",
            fast().block().timeout(Duration.ofSeconds(20)).failOnNonTempDialError(true).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
          assertThat(e.getMessage()).contains("no-such-host.invalid");
        });
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(15));
  }

  @Test
  void blockingDialReturnsWhenReady() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ClientConn cc = ClientConn.dial(peer.target(), fast().block().timeout(Duration.ofSeconds(5)).build())) {
      assertThat(cc.getState(false)).isEqualTo(ConnectivityState.READY);
    }
  }

  @Test
  void lateServerIsReachedThroughBackoff() throws Exception {
    int port = closedPort();
    try (ClientConn cc = ClientConn.dial("127.0.0.1:" + port, fast().build())) {
      // Fail-fast calls fail with UNAVAILABLE while nothing listens.
      assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).containsIgnoringCase("refused");
          });
      CompletableFuture<StringValue> waiting = ClientCalls.futureUnaryCall(
          cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT.withWaitForReady()
              .withDeadlineAfter(10, TimeUnit.SECONDS)), sv("patient"));
      Thread.sleep(400);
      assertThat(waiting).isNotDone();
      try (JavaPeer peer = JavaPeer.start("late", port, null)) {
        assertThat(waiting.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("patient");
        assertThat(cc.invoke(JavaPeer.UNARY, sv("now"), CallOptions.DEFAULT).getValue()).isEqualTo("now");
      }
    }
  }

  @Test
  void pickFirstSkipsClosedAddresses() throws Exception {
    try (JavaPeer peer = JavaPeer.start("third")) {
      ManualResolver r = new ManualResolver(closedPort(), closedPort(), peer.port());
      try (ClientConn cc = ClientConn.dial(r.target(), fast().resolver(r).build())) {
        for (int i = 0; i < 5; i++) {
          assertThat(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue()).isEqualTo("third");
        }
      }
    }
  }

  @Test
  void stateSequenceIdleConnectingReadyIdle() throws Exception {
    JavaPeer peer = JavaPeer.start("p");
    try (ClientConn cc = ClientConn.dial(peer.target(), fast().build())) {
      List<ConnectivityState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      seen.add(cc.getState(false));
      // Follow every transition through the callback form, re-registering from each callback.
      java.util.function.Consumer<ConnectivityState> follow = new java.util.function.Consumer<>() {
        @Override
        public void accept(ConnectivityState s) {
          seen.add(s);
          if (s != ConnectivityState.SHUTDOWN) {
            cc.notifyWhenStateChanged(s, this, Runnable::run);
          }
        }
      };
      cc.notifyWhenStateChanged(ConnectivityState.IDLE, follow, Runnable::run);
      cc.getState(true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!seen.contains(ConnectivityState.READY) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(cc.getState(false)).isEqualTo(ConnectivityState.READY);
      peer.close();
      // The blocking form sees the drop too.
      assertThat(cc.awaitStateChange(ConnectivityState.READY, Duration.ofSeconds(5))).isTrue();
      assertThat(cc.getState(false)).isEqualTo(ConnectivityState.IDLE);
      // Blocked waiters wake before callbacks run, so give the callback chain time to catch up.
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (seen.size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(seen).containsExactly(ConnectivityState.IDLE, ConnectivityState.CONNECTING,
          ConnectivityState.READY, ConnectivityState.IDLE);
    } finally {
      peer.close();
    }
  }

  @Test
  void stateChangeCallback() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ClientConn cc = ClientConn.dial(peer.target(), fast().build())) {
      CompletableFuture<ConnectivityState> next = new CompletableFuture<>();
      cc.notifyWhenStateChanged(ConnectivityState.IDLE, next::complete, Runnable::run);
      assertThat(next).isNotDone();
      cc.getState(true);
      assertThat(next.get(5, TimeUnit.SECONDS)).isIn(ConnectivityState.CONNECTING, ConnectivityState.READY);
    }
  }

  @Test
  void resetConnectBackoffReconnectsAtOnce() throws Exception {
    int port = closedPort();
    DialOptions opts = DialOptions.newBuilder().insecure()
        .connectBackoff(Duration.ofSeconds(30), 1.6, 0, Duration.ofSeconds(30)).build();
    try (ClientConn cc = ClientConn.dial("127.0.0.1:" + port, opts)) {
      cc.getState(true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (cc.getState(false) != ConnectivityState.TRANSIENT_FAILURE && System.nanoTime() < deadline) {
        cc.awaitStateChange(cc.getState(false), Duration.ofMillis(100));
      }
      assertThat(cc.getState(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
      try (JavaPeer peer = JavaPeer.start("p", port, null)) {
        // Without the reset the next attempt would be 30 s away.
        long start = System.nanoTime();
        cc.resetConnectBackoff();
        StringValue v = cc.invoke(JavaPeer.UNARY, sv("hi"),
            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(5, TimeUnit.SECONDS));
        assertThat(v.getValue()).isEqualTo("hi");
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
      }
    }
  }

  @Test
  void closeFailsWaitingCalls() throws Exception {
    int port = closedPort();
    ClientConn cc = ClientConn.dial("127.0.0.1:" + port, fast().build());
    CompletableFuture<StringValue> waiting = ClientCalls.futureUnaryCall(
        cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT.withWaitForReady()), sv("x"));
    Thread.sleep(200);
    cc.close();
    assertThat(cc.getState(false)).isEqualTo(ConnectivityState.SHUTDOWN);
    assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StatusException.class)
        .hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void idleTimeoutShutsResolverAndBalancerDownAndTheNextCallWakesTheChannel() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p")) {
      ManualResolver r = new ManualResolver(peer.port());
      try (ClientConn cc = ClientConn.dial(r.target(),
          fast().resolver(r).idleTimeout(Duration.ofMillis(300)).build())) {
        assertThat(cc.invoke(JavaPeer.UNARY, sv("one"), CallOptions.DEFAULT).getValue()).isEqualTo("one");
        assertThat(cc.getState(false)).isEqualTo(ConnectivityState.READY);
        assertThat(cc.awaitStateChange(ConnectivityState.READY, Duration.ofSeconds(3))).isTrue();
        assertThat(cc.getState(false)).isEqualTo(ConnectivityState.IDLE);
        assertThat(r.builds.get()).isEqualTo(1);
        assertThat(cc.invoke(JavaPeer.UNARY, sv("two"), CallOptions.DEFAULT).getValue()).isEqualTo("two");
        assertThat(r.builds.get()).isEqualTo(2);
      }
    }
  }

  @Test
  void unixDomainSocketTarget() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("grpc-uds");
    java.nio.file.Path sock = dir.resolve("s.sock");
    io.grpc.netty.shaded.io.netty.channel.EventLoopGroup elg =
        new io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup(1);
    io.grpc.Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress(sock.toString()))
        .channelType(io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(elg).workerEventLoopGroup(elg)
        .addService(io.grpc.ServerServiceDefinition.builder(JavaPeer.SERVICE)
            .addMethod(JavaPeer.theirs("Unary", io.grpc.MethodDescriptor.MethodType.UNARY),
                io.grpc.stub.ServerCalls.asyncUnaryCall((StringValue req,
                    io.grpc.stub.StreamObserver<StringValue> obs) -> {
                  obs.onNext(sv("uds:" + req.getValue()));
                  obs.onCompleted();
                }))
            .build())
        .build().start();
    try (ClientConn cc = ClientConn.dial("unix:" + sock, fast().build())) {
      assertThat(cc.authority()).isEqualTo("localhost");
      assertThat(cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT).getValue()).isEqualTo("uds:x");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      elg.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      java.nio.file.Files.deleteIfExists(sock);
      java.nio.file.Files.deleteIfExists(dir);
    }
  }
}
