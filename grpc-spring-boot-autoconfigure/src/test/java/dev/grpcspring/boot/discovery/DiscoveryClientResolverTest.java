package dev.grpcspring.boot.discovery;

import static dev.grpcspring.boot.discovery.MutableDiscoveryClient.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Attributes;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.resolver.RecordingResolverClientConn;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.resolver.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the discovery resolver reports for a registry's instances, and when it asks again. */
@Timeout(60)
class DiscoveryClientResolverTest {
  private final MutableDiscoveryClient registry = new MutableDiscoveryClient();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RecordingResolverClientConn conn = new RecordingResolverClientConn();
  private DiscoveryClientResolverBuilder builder =
      new DiscoveryClientResolverBuilder(registry, Duration.ZERO);

  @AfterEach
  void tearDown() {
    builder.close();
    scheduler.shutdownNow();
  }

  private Resolver resolve(boolean disableServiceConfig) {
    return builder.build(Target.parse("discovery:///orders"), conn,
        new ResolverBuildOptions(scheduler, 443, disableServiceConfig));
  }

  private Resolver resolve() {
    return resolve(false);
  }

  private void awaitQueries(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.queries.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5); // the registry offers nothing to wait on
    }
    assertThat(registry.queries.get()).isGreaterThanOrEqualTo(n);
  }

  @Test
  void portComesFromGrpcPortMetadataThenTheOldKeyThenTheInstanceAndMetadataBecomesAttributes()
      throws Exception {
    registry.set("orders",
        instance("c", 9003, Map.of()),
        instance("a", 8080, Map.of("gRPC_port", "9001", "zone", "eu")),
        instance("b", 8081, Map.of("gRPC.port", "9002")),
        instance("both", 8082, Map.of("gRPC_port", "9004", "gRPC.port", "1")),
        instance("bad", 8083, Map.of("gRPC_port", "http")),
        instance("noport", -1, Map.of()),
        instance("a-again", 8090, Map.of("gRPC_port", "9001")));
    try (Resolver r = resolve()) {
      ResolverState state = conn.nextState();
      assertThat(RecordingResolverClientConn.hostPorts(state))
          .containsExactly("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003", "127.0.0.1:9004");
      Attributes a = state.addresses().get(0).attributes();
      assertThat(a.get(DiscoveryClientResolverBuilder.SERVICE_ID)).isEqualTo("orders");
      assertThat(a.get(DiscoveryClientResolverBuilder.INSTANCE_ID)).isEqualTo("a");
      assertThat(a.get(DiscoveryClientResolverBuilder.METADATA))
          .containsExactly(Map.entry("gRPC_port", "9001"), Map.entry("zone", "eu"));
      assertThat(state.serviceConfigJson()).isNull();
    }
  }

  @Test
  void anEmptyListIsReportedAsNoAddresses() throws Exception {
    try (Resolver r = resolve()) {
      assertThat(conn.nextState().addresses()).isEmpty();
    }
  }

  @Test
  void aFailingRegistryIsReportedAsUnavailableAndAskedAgainAfterABackoff() throws Exception {
    registry.failure = new IllegalStateException("registry down");
    try (Resolver r = resolve()) {
      Status error = conn.nextError();
      assertThat(error.getCode()).isEqualTo(Code.UNAVAILABLE);
      assertThat(error.getDescription()).contains("test registry", "'orders'", "registry down",
          "retrying in 1000 ms");
      registry.set("orders", instance("a", 9001, Map.of()));
      registry.failure = null;
      long start = System.nanoTime();
      assertThat(RecordingResolverClientConn.hostPorts(conn.nextState())).containsExactly("127.0.0.1:9001");
      assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
    }
  }

  @Test
  void queriesRunOnTheResolversOwnThreadsSoTheChannelNeverWaitsForTheRegistry() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    registry.gate = gate;
    registry.set("orders", instance("a", 9001, Map.of()));
    long start = System.nanoTime();
    try (Resolver r = resolve()) {
      r.resolveNow();
      r.resolveNow();
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
      awaitQueries(1);
      assertThat(registry.lastThread.getName()).startsWith("grpc-discovery-");
      assertThat(registry.lastThread).isNotEqualTo(Thread.currentThread());
      assertThat(conn.events.poll(200, TimeUnit.MILLISECONDS)).isNull();
      gate.countDown();
      assertThat(RecordingResolverClientConn.hostPorts(conn.nextState())).containsExactly("127.0.0.1:9001");
    }
  }

  @Test
  void aRefreshReportsOnlyWhatChangedMetadataIncluded() throws Exception {
    registry.set("orders", instance("a", 9001, Map.of("zone", "eu")));
    try (Resolver r = resolve()) {
      conn.nextState();
      builder.refresh();
      awaitQueries(2);
      assertThat(conn.events.poll(300, TimeUnit.MILLISECONDS)).isNull();

      registry.set("orders", instance("a", 9001, Map.of("zone", "us")));
      builder.refresh();
      ResolverState state = conn.nextState();
      assertThat(state.addresses().get(0).attributes().get(DiscoveryClientResolverBuilder.METADATA))
          .containsEntry("zone", "us");
    }
  }

  @Test
  void resolveNowAsksAtMostOncePerMinimumInterval() throws Exception {
    registry.set("orders", instance("a", 9001, Map.of()));
    try (Resolver r = resolve()) {
      conn.nextState();
      long first = System.nanoTime();
      registry.set("orders", instance("b", 9002, Map.of()));
      for (int i = 0; i < 5; i++) {
        r.resolveNow();
      }
      assertThat(RecordingResolverClientConn.hostPorts(conn.nextState())).containsExactly("127.0.0.1:9002");
      assertThat(System.nanoTime() - first)
          .isGreaterThan(DiscoveryClientResolverBuilder.MIN_RESOLVE_NOW_INTERVAL.toNanos() - TimeUnit.MILLISECONDS.toNanos(100));
      Thread.sleep(300);
      assertThat(registry.queries.get()).isEqualTo(2);
    }
  }

  @Test
  void theRefreshIntervalAsksAgainUnprompted() throws Exception {
    builder.close();
    builder = new DiscoveryClientResolverBuilder(registry, Duration.ofMillis(100));
    registry.set("orders", instance("a", 9001, Map.of()));
    try (Resolver r = resolve()) {
      conn.nextState();
      registry.set("orders", instance("a", 9001, Map.of()), instance("b", 9002, Map.of()));
      assertThat(RecordingResolverClientConn.hostPorts(conn.nextState()))
          .containsExactly("127.0.0.1:9001", "127.0.0.1:9002");
    }
  }

  @Test
  void serviceConfigComesFromMetadataUnlessTheChannelDisablesIt() throws Exception {
    String config = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
    registry.set("orders", instance("b", 9002, Map.of()),
        instance("a", 9001, Map.of("gRPC_service_config", config)));
    try (Resolver r = resolve()) {
      assertThat(conn.nextState().serviceConfigJson()).isEqualTo(config);
    }
    try (Resolver r = resolve(true)) {
      assertThat(conn.nextState().serviceConfigJson()).isNull();
    }
  }

  @Test
  void closingStopsAndForgetsTheResolver() throws Exception {
    Resolver r = resolve();
    conn.nextState();
    assertThat(builder.liveResolvers()).isEqualTo(1);
    r.close();
    assertThat(builder.liveResolvers()).isZero();
    builder.refresh();
    r.resolveNow();
    Thread.sleep(200);
    assertThat(registry.queries.get()).isEqualTo(1);
  }

  @Test
  void aTargetMustNameAServiceAndNoAuthority() {
    assertThatThrownBy(() -> builder.build(Target.parse("discovery:///"), conn,
        new ResolverBuildOptions(scheduler, 443, false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no service");
    assertThatThrownBy(() -> builder.build(Target.parse("discovery://consul/orders"), conn,
        new ResolverBuildOptions(scheduler, 443, false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has an authority");
    assertThat(builder.defaultAuthority(Target.parse("discovery:///orders"))).isEqualTo("orders");
  }
}
