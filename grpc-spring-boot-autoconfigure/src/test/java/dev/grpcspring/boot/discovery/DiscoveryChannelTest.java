package dev.grpcspring.boot.discovery;

import static dev.grpcspring.boot.discovery.MutableDiscoveryClient.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Channel;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel to {@code discovery:///orders} follows the registry to real grpc-java servers on
 * loopback: after a refresh (what a heartbeat does), and after a connection failure alone; a
 * service config in instance metadata applies.
 */
@Timeout(60)
class DiscoveryChannelTest {
  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";

  private final MutableDiscoveryClient registry = new MutableDiscoveryClient();
  private final DiscoveryClientResolverBuilder resolvers =
      new DiscoveryClientResolverBuilder(registry, Duration.ZERO);

  @AfterEach
  void closeResolvers() {
    resolvers.close();
  }

  private ClientConn dial(String serviceConfig) {
    DialOptions.Builder options = DialOptions.newBuilder().insecure().resolver(resolvers);
    if (serviceConfig != null) {
      options.defaultServiceConfig(serviceConfig);
    }
    return ClientConn.dial("discovery:///orders", options.build());
  }

  private static void echo(Channel channel) {
    assertThat(EchoServiceGrpc.newBlockingStub(channel).withWaitForReady()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .echo(EchoRequest.newBuilder().setText("x").build()).getText()).isEqualTo("x");
  }

  /** Calls until {@code backend} has had a call, or fails after 10 s. */
  private static void callUntilUsed(Channel channel, EchoBackend backend) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int before = backend.calls.get();
    while (backend.calls.get() == before) {
      assertThat(System.nanoTime()).as("backend on port %d used", backend.port()).isLessThan(deadline);
      echo(channel);
    }
  }

  @Test
  void roundRobinFollowsTheInstanceListOnRefresh() throws Exception {
    try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend();
        EchoBackend c = new EchoBackend()) {
      registry.set("orders", instance("a", 1, Map.of("gRPC_port", String.valueOf(a.port()))),
          instance("b", b.port(), Map.of()));
      ClientConn conn = dial(ROUND_ROBIN);
      try {
        callUntilUsed(conn, a);
        callUntilUsed(conn, b);

        registry.set("orders", instance("b", b.port(), Map.of()), instance("c", c.port(), Map.of()));
        resolvers.refresh();
        callUntilUsed(conn, c);
        int aCalls = a.calls.get();
        int bCalls = b.calls.get();
        int cCalls = c.calls.get();
        for (int i = 0; i < 20; i++) {
          echo(conn);
        }
        assertThat(a.calls.get()).as("calls to the instance that left").isEqualTo(aCalls);
        assertThat(b.calls.get() - bCalls).isEqualTo(10);
        assertThat(c.calls.get() - cCalls).isEqualTo(10);
      } finally {
        conn.close();
      }
    }
  }

  @Test
  void aServiceConfigInInstanceMetadataChoosesThePolicy() throws Exception {
    try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend()) {
      registry.set("orders", instance("a", a.port(), Map.of("gRPC_service_config", ROUND_ROBIN)),
          instance("b", b.port(), Map.of()));
      // No default service config: pick_first would send every call to one of them.
      ClientConn conn = dial(null);
      try {
        callUntilUsed(conn, a);
        callUntilUsed(conn, b);
        int aCalls = a.calls.get();
        for (int i = 0; i < 20; i++) {
          echo(conn);
        }
        assertThat(a.calls.get() - aCalls).isEqualTo(10);
      } finally {
        conn.close();
      }
    }
  }

  @Test
  void aConnectionFailureMakesTheChannelAskTheRegistryAgain() throws Exception {
    try (EchoBackend b = new EchoBackend()) {
      ClientConn conn;
      try (EchoBackend a = new EchoBackend()) {
        registry.set("orders", instance("a", a.port(), Map.of()));
        conn = dial(null);
        echo(conn);
        assertThat(a.calls.get()).isEqualTo(1);
        // The instance moves to a new port (a restart on a random port); no heartbeat says so.
        registry.set("orders", instance("a", b.port(), Map.of()));
      }
      try {
        int queries = registry.queries.get();
        echo(conn);
        assertThat(b.calls.get()).isEqualTo(1);
        assertThat(registry.queries.get()).isGreaterThan(queries);
      } finally {
        conn.close();
      }
    }
  }
}
