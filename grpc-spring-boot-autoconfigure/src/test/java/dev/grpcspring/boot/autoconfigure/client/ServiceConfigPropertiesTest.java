package dev.grpcspring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.serviceconfig.InvalidServiceConfigException;
import dev.grpcspring.serviceconfig.ServiceConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The YAML service config builds the same {@link ServiceConfig} as the JSON it stands for, and
 * rules it breaks name the YAML property.
 */
class ServiceConfigPropertiesTest {
  private static final String CHANNEL = "grpc.client.channel.echo";

  private static ServiceConfig build(ServiceConfigProperties config, String loadBalancingPolicy) {
    return config.toServiceConfig(CHANNEL, loadBalancingPolicy);
  }

  private static ServiceConfigProperties oneMethod(ServiceConfigProperties.MethodConfig method) {
    ServiceConfigProperties config = new ServiceConfigProperties();
    if (method.getName().isEmpty()) {
      ServiceConfigProperties.Name service = new ServiceConfigProperties.Name();
      service.setService("pkg.Svc");
      method.setName(List.of(service));
    }
    config.setMethod(List.of(method));
    return config;
  }

  @Test
  void nothingConfiguredGivesNoJson() {
    assertThat(build(new ServiceConfigProperties(), null)).isNull();
  }

  @Test
  void loadBalancingPolicyAlone() {
    assertThat(build(new ServiceConfigProperties(), "round_robin"))
        .isEqualTo(ServiceConfig.parse("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}"));
  }

  @Test
  void methodConfigWithRetryAndThrottling() {
    ServiceConfigProperties config = new ServiceConfigProperties();
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    ServiceConfigProperties.Name service = new ServiceConfigProperties.Name();
    service.setService("pkg.Svc");
    ServiceConfigProperties.Name one = new ServiceConfigProperties.Name();
    one.setService("pkg.Other");
    one.setMethod("Get");
    method.setName(List.of(service, one));
    method.setTimeout(Duration.ofMillis(1500));
    method.setWaitForReady(true);
    method.setMaxRequestMessageSize(DataSize.ofKilobytes(1));
    method.setMaxResponseMessageSize(DataSize.ofBytes(2048));
    ServiceConfigProperties.RetryPolicy retry = new ServiceConfigProperties.RetryPolicy();
    retry.setMaxAttempts(3);
    retry.setRetryableStatusCodes(List.of("unavailable", "RESOURCE_EXHAUSTED"));
    method.setRetry(retry);
    config.setMethod(List.of(method));
    config.setRetryThrottling(new ServiceConfigProperties.RetryThrottling());

    assertThat(build(config, null)).isEqualTo(ServiceConfig.parse("{\"methodConfig\":[{\"name\":["
        + "{\"service\":\"pkg.Svc\"},{\"service\":\"pkg.Other\",\"method\":\"Get\"}],"
        + "\"timeout\":\"1.5s\",\"waitForReady\":true,\"maxRequestMessageBytes\":1024,"
        + "\"maxResponseMessageBytes\":2048,\"retryPolicy\":{\"maxAttempts\":3,"
        + "\"initialBackoff\":\"0.1s\",\"maxBackoff\":\"1s\",\"backoffMultiplier\":2,"
        + "\"retryableStatusCodes\":[\"UNAVAILABLE\",\"RESOURCE_EXHAUSTED\"]}}],"
        + "\"retryThrottling\":{\"maxTokens\":10,\"tokenRatio\":0.1}}"));
  }

  @Test
  void methodConfigWithHedging() {
    ServiceConfigProperties config = new ServiceConfigProperties();
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    ServiceConfigProperties.Name service = new ServiceConfigProperties.Name();
    service.setService("pkg.Svc");
    method.setName(List.of(service));
    ServiceConfigProperties.HedgingPolicy hedging = new ServiceConfigProperties.HedgingPolicy();
    hedging.setMaxAttempts(3);
    hedging.setHedgingDelay(Duration.ofMillis(250));
    hedging.setNonFatalStatusCodes(List.of("unavailable", " INTERNAL"));
    method.setHedging(hedging);
    config.setMethod(List.of(method));
    assertThat(build(config, null)).isEqualTo(ServiceConfig.parse("{\"methodConfig\":[{\"name\":[{\"service\":\"pkg.Svc\"}],"
        + "\"hedgingPolicy\":{\"maxAttempts\":3,\"hedgingDelay\":\"0.25s\","
        + "\"nonFatalStatusCodes\":[\"UNAVAILABLE\",\"INTERNAL\"]}}]}"));
  }

  @Test
  void emptyNameMatchesEveryMethod() {
    ServiceConfigProperties config = new ServiceConfigProperties();
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    method.setName(List.of(new ServiceConfigProperties.Name()));
    method.setTimeout(Duration.ofSeconds(2));
    config.setMethod(List.of(method));
    assertThat(build(config, null))
        .isEqualTo(ServiceConfig.parse("{\"methodConfig\":[{\"name\":[{}],\"timeout\":\"2s\"}]}"));
  }

  @Test
  void healthCheckWithAndWithoutServiceName() {
    ServiceConfigProperties config = new ServiceConfigProperties();
    config.setHealthCheck(new ServiceConfigProperties.HealthCheck());
    assertThat(config.isEmpty()).isFalse();
    // No name is the whole server's health.
    assertThat(build(config, "round_robin")).isEqualTo(ServiceConfig.parse(
        "{\"loadBalancingConfig\":[{\"round_robin\":{}}],\"healthCheckConfig\":{\"serviceName\":\"\"}}"));
    config.getHealthCheck().setServiceName("pkg.Svc");
    config.setRetryThrottling(new ServiceConfigProperties.RetryThrottling());
    assertThat(build(config, null)).isEqualTo(ServiceConfig.parse("{\"retryThrottling\":{\"maxTokens\":10,"
        + "\"tokenRatio\":0.1},\"healthCheckConfig\":{\"serviceName\":\"pkg.Svc\"}}"));
  }

  @Test
  void aRuleBrokenInYamlNamesThePropertyAndItsValue() {
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    ServiceConfigProperties.RetryPolicy retry = new ServiceConfigProperties.RetryPolicy();
    retry.setMaxAttempts(1);
    method.setRetry(retry);
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
          assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].retry.max-attempts");
          assertThat(e.getValue()).isEqualTo(1);
          assertThat(e.getReason()).isEqualTo("it is required and must be > 1, got 1");
        });

    retry.setMaxAttempts(2);
    retry.setBackoffMultiplier(0);
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e ->
            assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].retry.backoff-multiplier"));

    retry.setBackoffMultiplier(2);
    retry.setInitialBackoff(null);
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e ->
            assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].retry.initial-backoff"))
        .hasMessageContaining("is required and must be > 0, got null");

    retry.setInitialBackoff(Duration.ofMillis(10));
    retry.setRetryableStatusCodes(List.of("UNAVAILABLE", "NOT_A_CODE"));
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
          assertThat(e.getName())
              .isEqualTo(CHANNEL + ".service-config.method[0].retry.retryable-status-codes[1]");
          assertThat(e.getValue()).isEqualTo("NOT_A_CODE");
        });
  }

  @Test
  void sizesTimeoutsThrottlingAndPolicyNameTheirProperties() {
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    method.setMaxResponseMessageSize(DataSize.ofBytes(-1));
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e ->
            assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].max-response-message-size"));

    method.setMaxResponseMessageSize(null);
    method.setTimeout(Duration.ofSeconds(-1));
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
          assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].timeout");
          assertThat(e.getValue()).isEqualTo(Duration.ofSeconds(-1));
        });

    ServiceConfigProperties.HedgingPolicy hedging = new ServiceConfigProperties.HedgingPolicy();
    hedging.setHedgingDelay(Duration.ofMillis(-5));
    ServiceConfigProperties.MethodConfig hedged = new ServiceConfigProperties.MethodConfig();
    hedged.setHedging(hedging);
    assertThatThrownBy(() -> build(oneMethod(hedged), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e ->
            assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].hedging.hedging-delay"));

    ServiceConfigProperties throttled = new ServiceConfigProperties();
    throttled.setRetryThrottling(new ServiceConfigProperties.RetryThrottling());
    throttled.getRetryThrottling().setMaxTokens(5000);
    assertThatThrownBy(() -> build(throttled, null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
          assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.retry-throttling.max-tokens");
          assertThat(e.getValue()).isEqualTo(5000);
        });

    assertThatThrownBy(() -> build(new ServiceConfigProperties(), "no_such_policy"))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
          assertThat(e.getName()).isEqualTo(CHANNEL + ".load-balancing-policy");
          assertThat(e.getValue()).isEqualTo("no_such_policy");
        });
  }

  @Test
  void conflictingEntriesNameTheMethodEntry() {
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    method.setRetry(new ServiceConfigProperties.RetryPolicy());
    method.setHedging(new ServiceConfigProperties.HedgingPolicy());
    assertThatThrownBy(() -> build(oneMethod(method), null))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(CHANNEL + ".service-config.method[0] has both retryPolicy and hedgingPolicy")
        .hasCauseInstanceOf(InvalidServiceConfigException.class);

    ServiceConfigProperties.Name orphan = new ServiceConfigProperties.Name();
    orphan.setMethod("Get");
    ServiceConfigProperties.MethodConfig named = new ServiceConfigProperties.MethodConfig();
    named.setName(List.of(orphan));
    assertThatThrownBy(() -> build(oneMethod(named), null))
        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
          assertThat(e.getName()).isEqualTo(CHANNEL + ".service-config.method[0].name[0].method");
          assertThat(e.getValue()).isEqualTo("Get");
        });
  }
}
