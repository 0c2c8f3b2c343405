package dev.grpcspring.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.testing.FakeScheduler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Service config from {@code _grpc_config} TXT records (gRFC A2). */
class DnsServiceConfigTest {
  static final String RR = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
  static final String PF = "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}";

  @Test
  void theFirstMatchingChoiceWins() {
    String record = "grpc_config=[{\"clientLanguage\":[\"go\"],\"serviceConfig\":" + PF + "},"
        + "{\"clientLanguage\":[\"C++\",\"JAVA\"],\"percentage\":50,\"serviceConfig\":" + RR + "},"
        + "{\"serviceConfig\":{}}]";
    assertThat(DnsServiceConfig.choose(List.of("v=spf1", record), 49, "h")).isEqualTo(RR);
    assertThat(DnsServiceConfig.choose(List.of(record), 50, "h")).isEqualTo("{}");
  }

  @Test
  void hostnamesMustMatchExactlyAndNoRecordMeansNoConfig() {
    String record = "grpc_config=[{\"clientHostname\":[\"app-1\"],\"serviceConfig\":" + RR + "}]";
    assertThat(DnsServiceConfig.choose(List.of(record), 0, "app-1")).isEqualTo(RR);
    assertThat(DnsServiceConfig.choose(List.of(record), 0, "app-12")).isNull();
    assertThat(DnsServiceConfig.choose(List.of(record), 0, null)).isNull();
    assertThat(DnsServiceConfig.choose(List.of("other"), 0, "h")).isNull();
    assertThat(DnsServiceConfig.choose(List.of("grpc_config=[{\"percentage\":0,\"serviceConfig\":{}}]"), 0, "h"))
        .isNull();
  }

  @Test
  void malformedRecordsAreRejectedSayingWhy() {
    assertThatThrownBy(() -> DnsServiceConfig.choose(List.of("grpc_config={}"), 0, "h"))
        .hasMessageContaining("JSON array");
    assertThatThrownBy(() -> DnsServiceConfig.choose(
            List.of("grpc_config=[{\"clientOS\":[\"linux\"],\"serviceConfig\":{}}]"), 0, "h"))
        .hasMessageContaining("unknown field 'clientOS'");
    assertThatThrownBy(() -> DnsServiceConfig.choose(List.of("grpc_config=[{\"percentage\":101,"
            + "\"serviceConfig\":{}}]"), 0, "h"))
        .hasMessageContaining("0 to 100");
    assertThatThrownBy(() -> DnsServiceConfig.choose(List.of("grpc_config=[{}]"), 0, "h"))
        .hasMessageContaining("no serviceConfig");
    assertThatThrownBy(() -> DnsServiceConfig.choose(List.of("grpc_config=[{\"clientLanguage\":\"java\","
            + "\"serviceConfig\":{}}]"), 0, "h"))
        .hasMessageContaining("list of strings");
  }

  /** A lookup giving fixed A records and whatever TXT answer the test sets. */
  static final class TxtLookups implements DnsLookup.Factory {
    final List<String> txtNames = new ArrayList<>();
    volatile CompletableFuture<List<String>> txt = CompletableFuture.completedFuture(List.of());

    @Override
    public DnsLookup create(java.net.InetSocketAddress dnsServer) {
      return new DnsLookup() {
        @Override
        public CompletionStage<List<InetAddress>> resolveAll(String host) {
          return CompletableFuture.completedFuture(List.of(InetAddress.getLoopbackAddress()));
        }

        @Override
        public CompletionStage<List<String>> resolveTxt(String name) {
          synchronized (txtNames) {
            txtNames.add(name);
          }
          return txt;
        }

        @Override
        public void close() {}
      };
    }
  }

  private static DnsResolverBuilder builder(TxtLookups lookups, FakeScheduler scheduler) {
    return new DnsResolverBuilder(lookups, scheduler::nanoTime, Duration.ZERO,
        dev.grpcspring.internal.ExponentialBackoff.DEFAULT);
  }

  @Test
  void offByDefaultAndIgnoredWhenTheChannelDisablesServiceConfig() throws Exception {
    FakeScheduler scheduler = new FakeScheduler();
    TxtLookups lookups = new TxtLookups();
    lookups.txt = CompletableFuture.completedFuture(List.of("grpc_config=[{\"serviceConfig\":" + RR + "}]"));
    RecordingResolverClientConn cc = new RecordingResolverClientConn();
    Resolver off = builder(lookups, scheduler).build(Target.parse("dns:///echo.test:1"), cc,
        new ResolverBuildOptions(scheduler, 443, false));
    Resolver disabled = builder(lookups, scheduler).withTxtServiceConfig("h", () -> 0)
        .build(Target.parse("dns:///echo.test:1"), cc, new ResolverBuildOptions(scheduler, 443, true));
    scheduler.runDueTasks();
    assertThat(cc.nextState().serviceConfigJson()).isNull();
    assertThat(cc.nextState().serviceConfigJson()).isNull();
    off.close();
    disabled.close();
    assertThat(lookups.txtNames).isEmpty();
  }

  @Test
  void aBrokenOrFailedTxtLookupKeepsThePreviousConfigAndAMissingNameDropsIt() throws Exception {
    FakeScheduler scheduler = new FakeScheduler();
    TxtLookups lookups = new TxtLookups();
    lookups.txt = CompletableFuture.completedFuture(List.of("grpc_config=[{\"serviceConfig\":" + RR + "}]"));
    RecordingResolverClientConn cc = new RecordingResolverClientConn();
    Resolver r = builder(lookups, scheduler).withTxtServiceConfig("h", () -> 0)
        .build(Target.parse("dns:///echo.test:1"), cc, new ResolverBuildOptions(scheduler, 443, false));
    scheduler.runDueTasks();
    assertThat(cc.nextState().serviceConfigJson()).isEqualTo(RR);
    assertThat(lookups.txtNames).containsExactly("_grpc_config.echo.test");

    lookups.txt = CompletableFuture.completedFuture(List.of("grpc_config=[{\"bogus\":1}]"));
    r.resolveNow();
    scheduler.runDueTasks();
    assertThat(cc.nextState().serviceConfigJson()).isEqualTo(RR);

    lookups.txt = CompletableFuture.failedFuture(new java.io.IOException("SERVFAIL"));
    r.resolveNow();
    scheduler.runDueTasks();
    assertThat(cc.nextState().serviceConfigJson()).isEqualTo(RR);

    lookups.txt = CompletableFuture.failedFuture(new UnknownHostException("_grpc_config.echo.test"));
    r.resolveNow();
    scheduler.runDueTasks();
    assertThat(cc.nextState().serviceConfigJson()).isNull();
    r.close();
  }

  @Test
  void aChannelAppliesTheChosenPolicyAndMethodTimeout() throws Exception {
    TxtLookups lookups = new TxtLookups();
    lookups.txt = CompletableFuture.completedFuture(List.of("grpc_config=[{\"clientLanguage\":[\"java\"],"
        + "\"serviceConfig\":{\"loadBalancingConfig\":[{\"round_robin\":{}}],"
        + "\"methodConfig\":[{\"name\":[{\"service\":\"test.Echo\"}],\"timeout\":\"2.5s\"}]}}]"));
    DnsResolverBuilder dns = new DnsResolverBuilder(lookups).withTxtServiceConfig("h", () -> 99);
    try (ClientConn cc = ClientConn.dial("dns:///echo.test:1", DialOptions.newBuilder().insecure()
        .resolver(dns).build())) {
      cc.getState(true);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (cc.methodConfig("test.Echo/Unary").timeout() == null && System.nanoTime() < deadline) {
        cc.awaitStateChange(cc.getState(false), Duration.ofMillis(100));
      }
      assertThat(cc.methodConfig("test.Echo/Unary").timeout()).isEqualTo(Duration.ofMillis(2500));
      assertThat(cc.channelz().trace().events())
          .anySatisfy(e -> assertThat(e.description()).contains("load balancing policy round_robin"));
    }
  }
}
