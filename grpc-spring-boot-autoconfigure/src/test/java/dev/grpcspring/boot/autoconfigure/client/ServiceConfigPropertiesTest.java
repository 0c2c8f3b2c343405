package dev.grpcspring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ServiceConfigPropertiesTest {

  @Test
  void nothingConfiguredGivesNoJson() {
    assertThat(new ServiceConfigProperties().toJson(null)).isNull();
  }

  @Test
  void loadBalancingPolicyAlone() {
    assertThat(new ServiceConfigProperties().toJson("round_robin"))
        .isEqualTo("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}");
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

    assertThat(config.toJson(null)).isEqualTo("{\"methodConfig\":[{\"name\":["
        + "{\"service\":\"pkg.Svc\"},{\"service\":\"pkg.Other\",\"method\":\"Get\"}],"
        + "\"timeout\":\"1.5s\",\"waitForReady\":true,\"maxRequestMessageBytes\":1024,"
        + "\"maxResponseMessageBytes\":2048,\"retryPolicy\":{\"maxAttempts\":3,"
        + "\"initialBackoff\":\"0.1s\",\"maxBackoff\":\"1s\",\"backoffMultiplier\":2,"
        + "\"retryableStatusCodes\":[\"UNAVAILABLE\",\"RESOURCE_EXHAUSTED\"]}}],"
        + "\"retryThrottling\":{\"maxTokens\":10,\"tokenRatio\":0.1}}");
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
    assertThat(config.toJson(null)).isEqualTo("{\"methodConfig\":[{\"name\":[{\"service\":\"pkg.Svc\"}],"
        + "\"hedgingPolicy\":{\"maxAttempts\":3,\"hedgingDelay\":\"0.25s\","
        + "\"nonFatalStatusCodes\":[\"UNAVAILABLE\",\"INTERNAL\"]}}]}");
  }

  @Test
  void emptyNameMatchesEveryMethod() {
    ServiceConfigProperties config = new ServiceConfigProperties();
    ServiceConfigProperties.MethodConfig method = new ServiceConfigProperties.MethodConfig();
    method.setName(List.of(new ServiceConfigProperties.Name()));
    method.setTimeout(Duration.ofSeconds(2));
    config.setMethod(List.of(method));
    assertThat(config.toJson(null))
        .isEqualTo("{\"methodConfig\":[{\"name\":[{}],\"timeout\":\"2s\"}]}");
  }

  @Test
  void healthCheckWithAndWithoutServiceName() {
    ServiceConfigProperties config = new ServiceConfigProperties();
    config.setHealthCheck(new ServiceConfigProperties.HealthCheck());
    assertThat(config.isEmpty()).isFalse();
    // No name is the whole server's health.
    assertThat(config.toJson("round_robin")).isEqualTo(
        "{\"loadBalancingConfig\":[{\"round_robin\":{}}],\"healthCheckConfig\":{\"serviceName\":\"\"}}");
    config.getHealthCheck().setServiceName("pkg.Svc");
    config.setRetryThrottling(new ServiceConfigProperties.RetryThrottling());
    assertThat(config.toJson(null)).isEqualTo("{\"retryThrottling\":{\"maxTokens\":10,"
        + "\"tokenRatio\":0.1},\"healthCheckConfig\":{\"serviceName\":\"pkg.Svc\"}}");
  }
}
