package dev.grpcspring.channelz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.channelz.service.ChannelzService;
import dev.grpcspring.channelz.v1.SocketOption;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.ClientCalls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GOAWAYs sent and received reach the registry's listeners with their code and reason, and
 * connections show their socket options, on a real connection between our client and server.
 */
@Timeout(60)
class GoAwayAndSocketOptionsTest {

  @Test
  void maxAgeGoAwayIsReportedSentByTheServerAndReceivedByTheClient() throws Exception {
    Channelz channelz = new Channelz();
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    channelz.addListener(new Channelz.Listener() {
      @Override
      public void added(Entity entity) {}

      @Override
      public void removed(Entity entity) {}

      @Override
      public void goAway(SocketEntity socket, GoAway goAway) {
        events.add(socket.kind() + (goAway.sent() ? " sent " : " received ")
            + goAway.errorCode() + " " + goAway.debugData());
      }
    });
    Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(ChannelzTestPeer.service()).channelz(channelz)
        .maxConnectionAge(Duration.ofSeconds(2)).build().start();
    try (ClientConn cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
        DialOptions.newBuilder().insecure().channelz(channelz).build())) {
      assertThat(ClientCalls.blockingUnaryCall(cc, ChannelzTestPeer.UNARY, CallOptions.DEFAULT,
          StringValue.of("ok")).getValue()).isEqualTo("ok");

      // Socket options, read while the connection is up.
      List<SocketEntity> sockets = channelz.sockets().stream()
          .filter(s -> s.kind() != SocketEntity.Kind.LISTEN).toList();
      assertThat(sockets).extracting(SocketEntity::kind)
          .contains(SocketEntity.Kind.CLIENT, SocketEntity.Kind.SERVER);
      for (SocketEntity s : sockets) {
        assertThat(s.socketOptions()).as("%s", s.kind())
            .containsKeys("SO_KEEPALIVE", "SO_LINGER", "SO_RCVBUF", "SO_SNDBUF")
            .containsEntry("TCP_NODELAY", "true");
        assertThat(Integer.parseInt(s.socketOptions().get("SO_RCVBUF"))).isPositive();
        List<SocketOption> proto = ChannelzService.toProto(s, false).getData().getOptionList();
        assertThat(proto).extracting(SocketOption::getName)
            .contains("SO_KEEPALIVE", "TCP_NODELAY", "SO_LINGER", "SO_RCVBUF", "SO_SNDBUF");
      }

      // The server's graceful GOAWAY for its maximum age, seen from both ends.
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!seen.contains("SERVER sent 0 max_age") || !seen.contains("CLIENT received 0 max_age")) {
        String e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(e).as("GOAWAY events so far: %s", seen).isNotNull();
        seen.add(e);
      }
      assertThat(seen).allMatch(e -> e.endsWith(" 0 max_age"));
    } finally {
      server.close();
    }
  }
}
