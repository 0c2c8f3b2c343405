package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** etcd killed and restarted on the same data directory, under a live channel and registrations. */
@Timeout(120)
class EtcdRestartTest {
  @Test
  void callsGoOnWhileEtcdIsDownAndTheResolverSeesChangesAfterItsRestart() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        EtcdClient client = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build();
        NamedServer a = NamedServer.start("a", client, "svc/echo", Duration.ofSeconds(10));
        NamedServer b = NamedServer.start("b", client, "svc/echo", Duration.ofSeconds(10));
        ClientConn cc = ClientConn.dial("etcd:///svc/echo", DialOptions.newBuilder().insecure()
            .resolver(new EtcdResolverBuilder(client, "", Duration.ofSeconds(1)))
            .defaultServiceConfig(EtcdResolverTest.ROUND_ROBIN)
            .build())) {
      awaitServing(cc, Set.of("a", "b"));

      etcd.kill();
      // The channel keeps the addresses it has: every call still succeeds, on both servers.
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        seen.add(call(cc));
      }
      assertThat(seen).containsExactlyInAnyOrder("a", "b");

      etcd.restart();
      // Registrations come back on their own (the leases survived, or they grant new ones) and
      // the resolver resumes its watch: a server registered now gets calls.
      try (NamedServer c = NamedServer.start("c", client, "svc/echo", Duration.ofSeconds(10))) {
        awaitServing(cc, Set.of("a", "b", "c"));
        c.shutdownGracefully();
        awaitServing(cc, Set.of("a", "b"));
      }
    }
  }

  private static String call(ClientConn cc) {
    return cc.invoke(NamedServer.UNARY, StringValue.of(""),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)).getValue();
  }

  private static void awaitServing(ClientConn cc, Set<String> names) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> window = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      window.add(call(cc));
      if (window.size() > 30) {
        window.remove(0);
      }
      if (window.size() == 30 && new HashSet<>(window).equals(names)) {
        return;
      }
    }
    throw new AssertionError("Calls did not settle on " + names + " within 20 s; last: " + window);
  }
}
