package dev.grpcspring.boot.channelz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.ChannelzTestPeer;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.server.Server;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The channelz counters as meters, after the same known call sequence the core's channelz tests
 * count; entities created after binding get meters, closed ones lose them.
 */
class GrpcChannelzMeterBinderTest {

  @Test
  void exportsCountersAndStatesAndFollowsEntitiesComingAndGoing() throws Exception {
    Channelz channelz = new Channelz();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    GrpcChannelzMeterBinder binder = new GrpcChannelzMeterBinder(channelz);
    Server server = Server.builder()
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registerService(ChannelzTestPeer.service()).channelz(channelz).build().start();
    // Bound between the server's creation and the channel's: both paths are covered.
    binder.bindTo(meters);
    String target = "127.0.0.1:" + server.getPort();
    ClientConn cc = ClientConn.dial(target,
        DialOptions.newBuilder().insecure().channelz(channelz).build());
    try {
      ChannelzTestPeer.runKnownSequence(cc);
      String channel = Long.toString(cc.channelz().id());
      assertThat(count(meters, "grpc.channelz.channel.calls.started", "channel", channel))
          .isEqualTo(7);
      assertThat(count(meters, "grpc.channelz.channel.calls.succeeded", "channel", channel))
          .isEqualTo(3);
      assertThat(count(meters, "grpc.channelz.channel.calls.failed", "channel", channel))
          .isEqualTo(4);
      assertThat(meters.get("grpc.channelz.channel.state").tag("target", target).gauge().value())
          .isEqualTo(2.0); // READY
      String sub = Long.toString(cc.channelz().subchannels().get(0).id());
      assertThat(count(meters, "grpc.channelz.subchannel.calls.started", "subchannel", sub))
          .isEqualTo(7);
      assertThat(meters.get("grpc.channelz.subchannel.state").tag("subchannel", sub).gauge()
          .value()).isEqualTo(2.0);

      String serverId = Long.toString(server.channelz().id());
      awaitCount(() -> count(meters, "grpc.channelz.server.calls.succeeded", "server", serverId)
          + count(meters, "grpc.channelz.server.calls.failed", "server", serverId), 7);
      assertThat(count(meters, "grpc.channelz.server.calls.started", "server", serverId))
          .isEqualTo(7);
      assertThat(count(meters, "grpc.channelz.server.calls.succeeded", "server", serverId))
          .isEqualTo(3);

      SocketEntity clientSocket = cc.channelz().subchannels().get(0).sockets().get(0);
      String socket = Long.toString(clientSocket.id());
      assertThat(count(meters, "grpc.channelz.socket.streams.started", "socket", socket))
          .isEqualTo(7);
      assertThat(count(meters, "grpc.channelz.socket.streams.succeeded", "socket", socket))
          .isEqualTo(6);
      assertThat(count(meters, "grpc.channelz.socket.streams.failed", "socket", socket))
          .isEqualTo(1);
      assertThat(count(meters, "grpc.channelz.socket.messages.sent", "socket", socket))
          .isEqualTo(7);
      assertThat(count(meters, "grpc.channelz.socket.messages.received", "socket", socket))
          .isEqualTo(5);
      assertThat(meters.get("grpc.channelz.socket.streams.started").tag("kind", "server")
          .tag("server", serverId).functionCounter().count()).isEqualTo(7);
    } finally {
      cc.close();
      server.close();
    }
    // The channel's meters go at once; the sockets' once their connections have closed.
    awaitCount(() -> meters.getMeters().stream().filter(m -> m.getId().getName()
        .startsWith("grpc.channelz.")).count(), 0);
    binder.close();
  }

  @Test
  void goAwaysSentAndReceivedAreCountedWithCodeAndReason() throws Exception {
    Channelz channelz = new Channelz();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    GrpcChannelzMeterBinder binder = new GrpcChannelzMeterBinder(channelz);
    binder.bindTo(meters);
    Server server = Server.builder()
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registerService(ChannelzTestPeer.service()).channelz(channelz)
        .maxConnectionAge(Duration.ofSeconds(1)).build().start();
    ClientConn cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
        DialOptions.newBuilder().insecure().channelz(channelz).build());
    try {
      ChannelzTestPeer.runKnownSequence(cc);
      // The connection reaches its maximum age: the server says so, the client hears it.
      awaitAtLeast(() -> goAways(meters, "sent", "server", "NO_ERROR", "max_age"), 1);
      awaitAtLeast(() -> goAways(meters, "received", "client", "NO_ERROR", "max_age"), 1);
      // A call brings up a new connection; closing the server ends it with graceful_shutdown.
      ChannelzTestPeer.runKnownSequence(cc);
      server.close();
      awaitAtLeast(() -> goAways(meters, "sent", "server", "NO_ERROR", "graceful_shutdown"), 1);
      awaitAtLeast(() -> goAways(meters, "received", "client", "NO_ERROR", "graceful_shutdown"), 1);
      assertThat(meters.find("grpc.connection.goaways").tag("reason", "other").counters())
          .isEmpty();
    } finally {
      cc.close();
      server.close();
      binder.close();
    }
  }

  private static double goAways(SimpleMeterRegistry meters, String direction, String kind,
      String code, String reason) {
    io.micrometer.core.instrument.Counter c = meters.find("grpc.connection.goaways")
        .tag("direction", direction).tag("kind", kind).tag("code", code).tag("reason", reason)
        .counter();
    return c == null ? 0 : c.count();
  }

  private static void awaitAtLeast(Supplier<Double> value, double min) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (value.get() < min && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(value.get()).isGreaterThanOrEqualTo(min);
  }

  private static double count(SimpleMeterRegistry meters, String name, String tag, String value) {
    FunctionCounter c = meters.find(name).tag(tag, value).functionCounter();
    assertThat(c).as("%s{%s=%s}", name, tag, value).isNotNull();
    return c.count();
  }

  private static void awaitCount(Supplier<Number> value, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (value.get().longValue() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(value.get().longValue()).isEqualTo(expected);
  }

}
