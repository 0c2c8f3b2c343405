package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.Entity;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.stub.ClientCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's connection management on the wire (gRFC A9): its keepalive PINGs and their
 * timeout, max connection idle, max connection age with its grace.
 */
@Timeout(60)
class ServerConnectionLifetimeTest {
  private static final String BIDI = "/test.Echo/Bidi";
  private final EchoService echo = new EchoService();
  private final Channelz channelz = new Channelz();
  private Server server;

  private void start(UnaryOperator<ServerBuilder> config) throws Exception {
    server = config.apply(Server.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .registerService(echo.definition())
            .channelz(channelz))
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serverPingsAQuietClientAndCountsThePings() throws Exception {
    start(b -> b.keepAliveTime(Duration.ofMillis(50)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.pingsReceived.poll(10, TimeUnit.SECONDS)).isNotNull();
      }
      assertThat(client.isOpen()).isTrue();
      long sent = channelz.sockets().stream()
          .filter(s -> s.kind() == SocketEntity.Kind.SERVER)
          .mapToLong(s -> s.stats().keepAlivesSent()).sum();
      assertThat(sent).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void anUnansweredServerPingClosesTheConnectionAndCancelsItsCalls() throws Exception {
    start(b -> b.keepAliveTime(Duration.ofMillis(50)).keepAliveTimeout(Duration.ofMillis(100)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(5, TimeUnit.SECONDS);
      client.send(RawHttp2Client.grpcHeaders(BIDI), null, false);
      client.stopReading(); // gone silent: the server's PING is never answered
      awaitEvent("bidi-error:CANCELLED");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (channelz.sockets().stream().anyMatch(s -> s.kind() == SocketEntity.Kind.SERVER)) {
        assertThat(System.nanoTime()).as("server socket still open").isLessThan(deadline);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void maxConnectionIdleDrainsAConnectionWithNoCalls() throws Exception {
    start(b -> b.maxConnectionIdle(Duration.ofMillis(200)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      // A call keeps it busy; the idle clock starts when it ends.
      int call = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("one"), false);
      client.sendData(call, frame("two"), true);
      assertThat(client.await(call).grpcStatus()).isEqualTo("0");
      RawHttp2Client.GoAway first = client.goAways.poll(10, TimeUnit.SECONDS);
      assertThat(first.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
      assertThat(first.debug()).isEqualTo("max_idle");
      assertThat(first.lastStreamId()).isEqualTo(Integer.MAX_VALUE);
      RawHttp2Client.GoAway second = client.goAways.poll(10, TimeUnit.SECONDS);
      assertThat(second.lastStreamId()).isEqualTo(call);
      assertThat(client.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void maxConnectionIdleDoesNotDrainWhileACallIsOpen() throws Exception {
    start(b -> b.maxConnectionIdle(Duration.ofMillis(100)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      int call = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("one"), false);
      Thread.sleep(500); // five idle limits with the call open
      assertThat(client.goAways).isEmpty();
      client.sendData(call, frame("two"), true);
      assertThat(client.await(call).grpcStatus()).isEqualTo("0");
      assertThat(client.goAways.poll(10, TimeUnit.SECONDS).debug()).isEqualTo("max_idle");
    }
  }

  @Test
  void maxConnectionAgeDrainsThenTheGraceEndsCallsStillOpen() throws Exception {
    start(b -> b.maxConnectionAge(Duration.ofMillis(200))
        .maxConnectionAgeGrace(Duration.ofMillis(500)));
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      int finishes = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("a"), false);
      int lingers = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("b"), false);
      RawHttp2Client.GoAway first = client.goAways.poll(10, TimeUnit.SECONDS);
      assertThat(first.debug()).isEqualTo("max_age");
      assertThat(first.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
      assertThat(first.lastStreamId()).isEqualTo(Integer.MAX_VALUE);
      assertThat(client.goAways.poll(10, TimeUnit.SECONDS).lastStreamId()).isEqualTo(lingers);
      // Within the grace a call may finish normally.
      client.sendData(finishes, frame("done"), true);
      assertThat(client.await(finishes).grpcStatus()).isEqualTo("0");
      // The other never ends by itself: the grace ends it and the connection.
      assertThat(client.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
      awaitEvent("bidi-error:CANCELLED");
    }
  }

  @Test
  void maxConnectionAgeRotatesConnectionsUnderLoadWithoutFailedCalls() throws Exception {
    start(b -> b.maxConnectionAge(Duration.ofMillis(150))
        .maxConnectionAgeGrace(Duration.ofSeconds(10)));
    Set<Long> sockets = ConcurrentHashMap.newKeySet();
    channelz.addListener(new Channelz.Listener() {
      @Override
      public void added(Entity entity) {
        if (entity instanceof SocketEntity s && s.kind() == SocketEntity.Kind.SERVER) {
          sockets.add(s.id());
        }
      }

      @Override
      public void removed(Entity entity) {}
    });
    try (ClientConn cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
        DialOptions.newBuilder().insecure().build())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      int calls = 0;
      while (System.nanoTime() < deadline) {
        List<CompletableFuture<StringValue>> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          batch.add(ClientCalls.futureUnaryCall(
              cc.newCall(EchoService.UNARY, CallOptions.DEFAULT), StringValue.of("x" + i)));
        }
        for (CompletableFuture<StringValue> f : batch) {
          assertThat(f.get(10, TimeUnit.SECONDS).getValue()).startsWith("echo:x");
          calls++;
        }
      }
      assertThat(calls).isPositive();
      assertThat(sockets).as("connections the server saw").hasSizeGreaterThanOrEqualTo(3);
    }
  }

  private void awaitEvent(String event) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String e;
    do {
      e = echo.events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(e).as("event %s", event).isNotNull();
    } while (!e.equals(event));
  }

  private static ByteBuf frame(String s) {
    byte[] payload = StringValue.of(s).toByteArray();
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }
}
