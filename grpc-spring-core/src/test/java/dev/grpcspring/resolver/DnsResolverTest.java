package dev.grpcspring.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.testing.FakeScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsResolverTest {
  private final FakeScheduler scheduler = new FakeScheduler();
  private final FakeLookups lookups = new FakeLookups();
  private final RecordingResolverClientConn cc = new RecordingResolverClientConn();
  private final DnsResolverBuilder builder =
      new DnsResolverBuilder(
          lookups,
          scheduler::nanoTime,
          DnsResolverBuilder.MIN_RESOLUTION_INTERVAL,
          ExponentialBackoff.newBuilder().random(() -> 0.5).build());
  private final ResolverBuildOptions options = new ResolverBuildOptions(scheduler, 0, false);

  @AfterEach
  void noStrayReports() {
    scheduler.runDueTasks();
    assertThat(cc.events).isEmpty();
  }

  @Test
  void resolvesLocalhostThroughNettyWithoutExternalDns() throws Exception {
    ScheduledExecutorService real = Executors.newSingleThreadScheduledExecutor();
    try {
      RecordingResolverClientConn realCc = new RecordingResolverClientConn();
      Resolver resolver =
          new DnsResolverBuilder()
              .build(Target.parse("dns:///localhost:50051"), realCc, new ResolverBuildOptions(real, 443, false));
      ResolverState state = realCc.nextState();
      resolver.close();
      assertThat(state.addresses()).isNotEmpty();
      List<String> ips = new ArrayList<>();
      for (Address a : state.addresses()) {
        InetSocketAddress sa = (InetSocketAddress) a.socketAddress();
        assertThat(sa.isUnresolved()).isFalse();
        assertThat(sa.getPort()).isEqualTo(50051);
        assertThat(sa.getAddress().isLoopbackAddress()).isTrue();
        ips.add(sa.getAddress().getHostAddress());
      }
      assertThat(ips).contains("127.0.0.1");
    } finally {
      real.shutdownNow();
    }
  }

  @Test
  void defaultPortIs443() throws Exception {
    builder.build(Target.parse("dns:///example.test"), cc, options);
    lookups.complete(0, "10.0.0.1", "2001:db8::1");
    scheduler.runDueTasks();
    ResolverState state = cc.nextState();
    assertThat(state.addresses())
        .extracting(a -> ((InetSocketAddress) a.socketAddress()).getPort())
        .containsOnly(443);
    assertThat(lookups.hosts).containsExactly("example.test");
  }

  @Test
  void ipLiteralsAreReportedWithoutALookup() throws Exception {
    builder.build(Target.parse("dns:///127.0.0.1:8080"), cc, options);
    InetSocketAddress v4 = (InetSocketAddress) cc.nextState().addresses().get(0).socketAddress();
    assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(v4.getPort()).isEqualTo(8080);
    builder.build(Target.parse("dns:///[::1]"), cc, options).resolveNow();
    InetSocketAddress v6 = (InetSocketAddress) cc.nextState().addresses().get(0).socketAddress();
    assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
    assertThat(v6.getPort()).isEqualTo(443);
    assertThat(lookups.hosts).isEmpty();
  }

  @Test
  void resolveNowIsRateLimitedTo30SecondsAndCoalesced() throws Exception {
    Resolver resolver = builder.build(Target.parse("dns:///svc.test:50051"), cc, options);
    assertThat(lookups.count()).isEqualTo(1);
    lookups.complete(0, "10.0.0.1");
    scheduler.runDueTasks();
    assertThat(cc.nextState().addresses()).hasSize(1);

    // Right after a lookup: wait for the rest of the 30 s; more requests join the scheduled one.
    scheduler.forwardTime(5, TimeUnit.SECONDS);
    resolver.resolveNow();
    resolver.resolveNow();
    resolver.resolveNow();
    assertThat(lookups.count()).isEqualTo(1);
    assertThat(scheduler.pendingDelaysMillis()).containsExactly(25_000L);
    scheduler.forwardTime(24_999, TimeUnit.MILLISECONDS);
    assertThat(lookups.count()).isEqualTo(1);
    scheduler.forwardTime(1, TimeUnit.MILLISECONDS);
    assertThat(lookups.count()).isEqualTo(2);

    // Requests while a lookup is in flight make one more lookup, 30 s after this one started.
    resolver.resolveNow();
    resolver.resolveNow();
    scheduler.forwardTime(2, TimeUnit.SECONDS);
    lookups.complete(1, "10.0.0.2", "10.0.0.3");
    scheduler.runDueTasks();
    assertThat(cc.nextState().addresses()).hasSize(2);
    assertThat(scheduler.pendingDelaysMillis()).containsExactly(28_000L);
    scheduler.forwardTime(28, TimeUnit.SECONDS);
    assertThat(lookups.count()).isEqualTo(3);
    lookups.complete(2, "10.0.0.2");
    scheduler.runDueTasks();
    cc.nextState();

    // Long after the last lookup: resolve at once.
    scheduler.forwardTime(31, TimeUnit.SECONDS);
    resolver.resolveNow();
    assertThat(lookups.count()).isEqualTo(4);
    lookups.complete(3, "10.0.0.4");
    scheduler.runDueTasks();
    cc.nextState();
    resolver.close();
    assertThat(lookups.closed).isEqualTo(1);
  }

  @Test
  void failuresAreUnavailableNamingTheHostAndRetriedWithBackoff() throws Exception {
    builder.build(Target.parse("dns:///missing.test"), cc, options);
    lookups.fail(0, new UnknownHostException("missing.test"));
    scheduler.runDueTasks();
    Status error = cc.nextError();
    assertThat(error.getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(error.getDescription()).contains("'missing.test'").contains("no such host");
    assertThat(scheduler.pendingDelaysMillis()).containsExactly(1_000L);

    scheduler.forwardTime(1, TimeUnit.SECONDS);
    assertThat(lookups.count()).isEqualTo(2);
    lookups.fail(1, new RuntimeException("timeout"));
    scheduler.runDueTasks();
    assertThat(cc.nextError().getDescription()).contains("timeout");
    assertThat(scheduler.pendingDelaysMillis()).containsExactly(1_600L);

    scheduler.forwardTime(1_600, TimeUnit.MILLISECONDS);
    lookups.complete(2);
    scheduler.runDueTasks();
    assertThat(cc.nextError().getDescription()).contains("no addresses").contains("missing.test");
    scheduler.forwardTime(3, TimeUnit.SECONDS);
    lookups.complete(3, "10.1.1.1");
    scheduler.runDueTasks();
    assertThat(cc.nextState().addresses()).hasSize(1);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void closeStopsTimersAndDropsLateResults() {
    Resolver resolver = builder.build(Target.parse("dns:///svc.test"), cc, options);
    lookups.fail(0, new UnknownHostException("svc.test"));
    resolver.close();
    scheduler.runDueTasks();
    assertThat(scheduler.pendingTasks()).isZero();
    resolver.resolveNow();
    assertThat(lookups.count()).isEqualTo(1);
  }

  @Test
  void anAuthorityNamesTheDnsServer() {
    builder.build(Target.parse("dns://10.9.9.9/svc.test:1"), cc, options).close();
    builder.build(Target.parse("dns://[2001:db8::53]:5353/svc.test:1"), cc, options).close();
    assertThat(lookups.servers)
        .containsExactly(new InetSocketAddress("10.9.9.9", 53), new InetSocketAddress("2001:db8::53", 5353));
    assertThatThrownBy(() -> builder.build(Target.parse("dns://ns.example/svc.test"), cc, options))
        .hasMessageContaining("must be an IP address");
  }

  @Test
  void malformedTargetsFailAtBuild() {
    assertThatThrownBy(() -> builder.build(Target.parse("dns:///"), cc, options)).hasMessageContaining("names no host");
    assertThatThrownBy(() -> builder.build(Target.parse("dns:///host:http"), cc, options))
        .hasMessageContaining("Bad dns target")
        .hasMessageContaining("Invalid port");
  }

  @Test
  void registeredByDefault() {
    assertThat(ResolverRegistry.getDefaultRegistry().get("dns")).isInstanceOf(DnsResolverBuilder.class);
    assertThat(Duration.ofSeconds(30)).isEqualTo(DnsResolverBuilder.MIN_RESOLUTION_INTERVAL);
  }

  /** Lookups the test completes by hand. */
  private static final class FakeLookups implements DnsLookup.Factory {
    final List<String> hosts = new ArrayList<>();
    final List<CompletableFuture<List<InetAddress>>> pending = new ArrayList<>();
    final List<InetSocketAddress> servers = new ArrayList<>();
    int closed;

    @Override
    public DnsLookup create(InetSocketAddress dnsServer) {
      if (dnsServer != null) {
        servers.add(dnsServer);
      }
      return new DnsLookup() {
        @Override
        public CompletionStage<List<InetAddress>> resolveAll(String host) {
          synchronized (FakeLookups.this) {
            hosts.add(host);
            CompletableFuture<List<InetAddress>> f = new CompletableFuture<>();
            pending.add(f);
            return f;
          }
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }

    synchronized int count() {
      return pending.size();
    }

    void complete(int i, String... ips) {
      List<InetAddress> addresses = new ArrayList<>();
      for (String ip : ips) {
        try {
          addresses.add(InetAddress.getByName(ip)); // literals only: no lookup
        } catch (UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
      pending.get(i).complete(addresses);
    }

    void fail(int i, Throwable error) {
      pending.get(i).completeExceptionally(error);
    }
  }
}
