package dev.grpcspring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class ChannelPropertiesResolverTest {

  private static ChannelPropertiesResolver resolver(Map<String, String> properties) {
    return new ChannelPropertiesResolver(new Binder(new MapConfigurationPropertySource(properties)));
  }

  @Test
  void namedChannelInheritsDefaultKeyByKey() {
    ChannelPropertiesResolver resolver = resolver(Map.ofEntries(
        Map.entry("grpc.client.channel.default.target", "dns:///shared:9090"),
        Map.entry("grpc.client.channel.default.deadline", "2s"),
        Map.entry("grpc.client.channel.default.compression", "gzip"),
        Map.entry("grpc.client.channel.default.backoff.max-delay", "30s"),
        Map.entry("grpc.client.channel.default.backoff.multiplier", "2.5"),
        Map.entry("grpc.client.channel.default.interceptors[0]", "a"),
        Map.entry("grpc.client.channel.users.target", "static://users:9090"),
        Map.entry("grpc.client.channel.users.backoff.max-delay", "5s"),
        Map.entry("grpc.client.channel.users.inbound.message.max-size", "1KB")));

    ChannelProperties users = resolver.resolve("users");
    assertThat(users.getTarget()).isEqualTo("static://users:9090");
    assertThat(users.getDeadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(users.getCompression()).isEqualTo("gzip");
    assertThat(users.getBackoff().getMaxDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(users.getBackoff().getMultiplier()).isEqualTo(2.5);
    assertThat(users.getBackoff().getBaseDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(users.getInterceptors()).containsExactly("a");
    assertThat(users.getInbound().getMessage().getMaxSize()).isEqualTo(DataSize.ofKilobytes(1));

    ChannelProperties other = resolver.resolve("other");
    assertThat(other.getTarget()).isEqualTo("dns:///shared:9090");
    assertThat(other.getBackoff().getMaxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(other.getInbound().getMessage().getMaxSize()).isEqualTo(DataSize.ofMegabytes(4));
  }

  @Test
  void namesWithDashesDotsAndCapitalsGetTheirOwnSettings() {
    ChannelPropertiesResolver resolver = resolver(Map.of(
        "grpc.client.channel.default.target", "dns:///default:1",
        "grpc.client.channel.user-service.target", "dns:///users:1",
        "grpc.client.channel[a.b].target", "dns:///ab:1",
        "grpc.client.channel[Orders].target", "dns:///orders:1"));
    assertThat(resolver.resolve("user-service").getTarget()).isEqualTo("dns:///users:1");
    assertThat(resolver.resolve("a.b").getTarget()).isEqualTo("dns:///ab:1");
    assertThat(resolver.resolve("Orders").getTarget()).isEqualTo("dns:///orders:1");
    assertThat(resolver.resolve("other").getTarget()).isEqualTo("dns:///default:1");
  }

  @Test
  void builtInDefaultsWhenNothingIsSet() {
    ChannelProperties p = resolver(Map.of()).resolve("x");
    assertThat(p.getTarget()).isNull();
    assertThat(p.getDeadline()).isNull();
    assertThat(p.getWaitForReady()).isNull();
    assertThat(p.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.getBackoff().getMinConnectTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.getServiceConfig().isEmpty()).isTrue();
  }

  @Test
  void listsReplaceTheInheritedList() {
    ChannelProperties p = resolver(Map.of(
            "grpc.client.channel.default.interceptors", "a,b",
            "grpc.client.channel.x.interceptors", "c"))
        .resolve("x");
    assertThat(p.getInterceptors()).isEqualTo(List.of("c"));
  }

  @Test
  void bindsEveryKey() {
    ChannelProperties p = resolver(Map.ofEntries(
            Map.entry("grpc.client.channel.x.target", "unix:/tmp/s.sock"),
            Map.entry("grpc.client.channel.x.authority", "svc.example"),
            Map.entry("grpc.client.channel.x.user-agent", "my-app/1.0"),
            Map.entry("grpc.client.channel.x.default-scheme", "dns"),
            Map.entry("grpc.client.channel.x.load-balancing-policy", "round_robin"),
            Map.entry("grpc.client.channel.x.idle-timeout", "5m"),
            Map.entry("grpc.client.channel.x.deadline", "250"),
            Map.entry("grpc.client.channel.x.wait-for-ready", "true"),
            Map.entry("grpc.client.channel.x.flow-control-window", "1MB"),
            Map.entry("grpc.client.channel.x.inbound.metadata.max-size", "16KB"),
            Map.entry("grpc.client.channel.x.outbound.message.max-size", "2MB"),
            Map.entry("grpc.client.channel.x.backoff.base-delay", "100ms"),
            Map.entry("grpc.client.channel.x.backoff.jitter", "0.1"),
            Map.entry("grpc.client.channel.x.backoff.min-connect-timeout", "3s"),
            Map.entry("grpc.client.channel.x.shutdown.grace-period", "1s"),
            Map.entry("grpc.client.channel.x.service-config.method[0].name[0].service", "a.B"),
            Map.entry("grpc.client.channel.x.service-config.method[0].timeout", "1500ms"),
            Map.entry("grpc.client.channel.x.service-config.method[0].retry.max-attempts", "4"),
            Map.entry("grpc.client.channel.x.service-config.retry-throttling.max-tokens", "20")))
        .resolve("x");
    assertThat(p.getTarget()).isEqualTo("unix:/tmp/s.sock");
    assertThat(p.getAuthority()).isEqualTo("svc.example");
    assertThat(p.getUserAgent()).isEqualTo("my-app/1.0");
    assertThat(p.getDefaultScheme()).isEqualTo("dns");
    assertThat(p.getLoadBalancingPolicy()).isEqualTo("round_robin");
    assertThat(p.getIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.getDeadline()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.getWaitForReady()).isTrue();
    assertThat(p.getFlowControlWindow()).isEqualTo(DataSize.ofMegabytes(1));
    assertThat(p.getInbound().getMetadata().getMaxSize()).isEqualTo(DataSize.ofKilobytes(16));
    assertThat(p.getOutbound().getMessage().getMaxSize()).isEqualTo(DataSize.ofMegabytes(2));
    assertThat(p.getBackoff().getBaseDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(p.getBackoff().getJitter()).isEqualTo(0.1);
    assertThat(p.getBackoff().getMinConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.getServiceConfig().getMethod()).hasSize(1);
    assertThat(p.getServiceConfig().getMethod().get(0).getTimeout())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(p.getServiceConfig().getMethod().get(0).getRetry().getMaxAttempts()).isEqualTo(4);
    assertThat(p.getServiceConfig().getRetryThrottling().getMaxTokens()).isEqualTo(20);
  }
}
