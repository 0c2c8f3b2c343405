package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.stub.ClientCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Client keepalive (gRFC A8) against grpc-java's server and its enforcement policy. */
@Timeout(60)
class ClientKeepAliveTest {

  private static DialOptions.Builder keepAlive(Duration time, Duration timeout,
      boolean withoutCalls) {
    return ClientConnTest.fast()
        .minKeepAliveTimeForTest(Duration.ofMillis(1))
        .keepAliveTime(time)
        .keepAliveTimeout(timeout)
        .keepAliveWithoutCalls(withoutCalls);
  }

  @Test
  void tooManyPingsDoublesTheKeepAliveTimeUntilTheServerIsContent() throws Exception {
    Channelz channelz = new Channelz();
    try (JavaPeer peer = JavaPeer.start("p", b -> b
            .permitKeepAliveTime(200, TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true));
        ClientConn cc = ClientConn.dial(peer.target(),
            keepAlive(Duration.ofMillis(25), Duration.ofSeconds(5), true)
                .channelz(channelz).build())) {
      // 25 ms -> GOAWAY too_many_pings -> 50 -> 100 -> 200 ms, which the server accepts.
      long permit = TimeUnit.MILLISECONDS.toNanos(200);
      // An idle channel does not reconnect on its own: a call brings up the next connection,
      // then quiet time lets the pings strike (the server's responses forgive strikes).
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (cc.transportOptions().keepAlive().timeNanos() < permit) {
        assertThat(System.nanoTime()).as("time still %d ns",
            cc.transportOptions().keepAlive().timeNanos()).isLessThan(giveUp);
        succeeds(cc);
        long before = cc.transportOptions().keepAlive().timeNanos();
        long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (cc.transportOptions().keepAlive().timeNanos() == before
            && System.nanoTime() < quietUntil) {
          Thread.sleep(10);
        }
      }
      long settled = cc.transportOptions().keepAlive().timeNanos();
      // A call may still race the connection that got the last GOAWAY; the next one is served.
      awaitTrue(() -> succeeds(cc), 10);
      // Keeps working: calls succeed, pings go out, and the time stays where it settled.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < deadline) {
        assertThat(unary(cc, "again")).isEqualTo("again");
        Thread.sleep(200); // spacing between calls, so that keepalive PINGs go out in between
      }
      assertThat(cc.transportOptions().keepAlive().timeNanos()).isEqualTo(settled);
      long sent = channelz.sockets().stream().mapToLong(s -> s.stats().keepAlivesSent()).sum();
      assertThat(sent).isPositive();
    }
  }

  @Test
  void aSilentlyDeadConnectionFailsItsCallsUnavailableAndTheChannelReconnects() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p", b -> b
            .permitKeepAliveTime(0, TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true));
        BlackholeProxy proxy = new BlackholeProxy(peer.port());
        ClientConn cc = ClientConn.dial(proxy.target(),
            keepAlive(Duration.ofMillis(100), Duration.ofMillis(300), false).build())) {
      assertThat(unary(cc, "hi")).isEqualTo("hi");
      CompletableFuture<StringValue> hanging = ClientCalls.futureUnaryCall(
          cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("hang"));
      assertThat(peer.hanging.poll(10, TimeUnit.SECONDS)).isEqualTo("hang");
      proxy.blackhole(true);
      // Detected within time + timeout (plus scheduling slack), not left hanging.
      assertThatThrownBy(() -> hanging.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("Keepalive");
          });
      proxy.blackhole(false);
      StringValue after = ClientCalls.futureUnaryCall(
          cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT.withWaitForReady()), sv("back"))
          .get(10, TimeUnit.SECONDS);
      assertThat(after.getValue()).isEqualTo("back");
    }
  }

  @Test
  void withoutCallsFalseSendsNoPingsOnAnIdleConnection() throws Exception {
    Channelz channelz = new Channelz();
    try (JavaPeer peer = JavaPeer.start("p", b -> b
            .permitKeepAliveTime(0, TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true));
        ClientConn cc = ClientConn.dial(peer.target(),
            keepAlive(Duration.ofMillis(20), Duration.ofSeconds(5), false)
                .channelz(channelz).build())) {
      assertThat(unary(cc, "hi")).isEqualTo("hi");
      long before = keepAlivesSent(channelz);
      Thread.sleep(300); // fifteen keepalive times with no call open
      assertThat(keepAlivesSent(channelz)).isLessThanOrEqualTo(before + 1);
      // A call open: pings flow.
      CompletableFuture<StringValue> hanging = ClientCalls.futureUnaryCall(
          cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("hang"));
      awaitTrue(() -> keepAlivesSent(channelz) >= before + 3, 10);
      hanging.cancel(true);
    }
  }

  @Test
  void bdpAndKeepAlivePingsDoNotTripTheServersPolicy() throws Exception {
    // grpc-java's default enforcement (no pings without calls; one per permit time with calls)
    // with a permit time shorter than our keepalive time, and downloads that make BDP pings.
    try (JavaPeer peer = JavaPeer.start("p", b -> b
            .permitKeepAliveTime(150, TimeUnit.MILLISECONDS));
        ClientConn cc = ClientConn.dial(peer.target(),
            keepAlive(Duration.ofMillis(250), Duration.ofSeconds(5), false).build())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < deadline) {
        assertThat(unary(cc, "big:" + (512 * 1024))).hasSize(512 * 1024);
      }
      // A quiet call open for a while: keepalive pings only.
      CompletableFuture<StringValue> hanging = ClientCalls.futureUnaryCall(
          cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("hang"));
      assertThat(peer.hanging.poll(10, TimeUnit.SECONDS)).isEqualTo("hang");
      Thread.sleep(1200); // several keepalive times
      assertThat(hanging).isNotDone(); // no GOAWAY killed it
      assertThat(cc.transportOptions().keepAlive().timeNanos())
          .isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
      hanging.cancel(true);
    }
  }

  private static boolean succeeds(ClientConn cc) {
    try {
      return unary(cc, "ok").equals("ok");
    } catch (Exception e) {
      return false;
    }
  }

  private static long keepAlivesSent(Channelz channelz) {
    return channelz.sockets().stream().mapToLong(s -> s.stats().keepAlivesSent()).sum();
  }

  private static String unary(ClientConn cc, String req) throws Exception {
    return ClientCalls.futureUnaryCall(
            cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT.withWaitForReady()), sv(req))
        .get(10, TimeUnit.SECONDS).getValue();
  }

  private static void awaitTrue(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within %d s", seconds).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
