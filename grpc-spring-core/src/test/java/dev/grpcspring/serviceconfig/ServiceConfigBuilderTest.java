package dev.grpcspring.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcspring.Code;
import dev.grpcspring.balancer.PickFirstBalancerBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceConfigBuilderTest {

  private static final String JSON = """
      {
        "loadBalancingConfig": [ {"grpclb": {}}, {"pick_first": {"shuffleAddressList": true}} ],
        "methodConfig": [
          { "name": [ {"service": "pkg.Svc", "method": "Exact"} ],
            "timeout": "1.5s", "waitForReady": true,
            "maxRequestMessageBytes": 1024, "maxResponseMessageBytes": 3000000000,
            "retryPolicy": { "maxAttempts": 9, "initialBackoff": "0.1s", "maxBackoff": "2s",
                             "backoffMultiplier": 2.5, "retryableStatusCodes": ["UNAVAILABLE", 4] } },
          { "name": [ {"service": "pkg.Svc"}, {"service": "pkg.Other", "method": ""} ],
            "timeout": "10s",
            "hedgingPolicy": { "maxAttempts": 3, "hedgingDelay": "0.05s", "nonFatalStatusCodes": ["INTERNAL"] } },
          { "name": [ {} ], "waitForReady": false },
          { "name": [], "timeout": "99s" }
        ],
        "retryThrottling": { "maxTokens": 10, "tokenRatio": 0.1239 },
        "healthCheckConfig": { "serviceName": "pkg.Svc" }
      }
      """;

  private static ServiceConfig.Builder full() {
    return ServiceConfig.newBuilder()
        .loadBalancingConfig("grpclb")
        .loadBalancingConfig("pick_first", Map.of("shuffleAddressList", true))
        .methodConfig(MethodConfig.newBuilder()
            .name("pkg.Svc", "Exact")
            .timeout(Duration.ofMillis(1500))
            .waitForReady(true)
            .maxRequestMessageBytes(1024)
            .maxResponseMessageBytes(3_000_000_000L)
            .retryPolicy(RetryPolicy.newBuilder()
                .maxAttempts(9)
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(2))
                .backoffMultiplier(2.5)
                .retryableStatusCodes(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED)))
        .methodConfig(MethodConfig.newBuilder()
            .name("pkg.Svc")
            .name("pkg.Other", "")
            .timeout(Duration.ofSeconds(10))
            .hedgingPolicy(HedgingPolicy.newBuilder()
                .maxAttempts(3)
                .hedgingDelay(Duration.ofMillis(50))
                .nonFatalStatusCodes(Code.INTERNAL)))
        .methodConfig(MethodConfig.newBuilder().name("").waitForReady(false))
        .methodConfig(MethodConfig.newBuilder().timeout(Duration.ofSeconds(99)))
        .retryThrottling(10, 0.1239)
        .healthCheckServiceName("pkg.Svc");
  }

  @Test
  void builtConfigEqualsTheParsedOne() {
    ServiceConfig built = full().build();
    ServiceConfig parsed = ServiceConfig.parse(JSON);
    assertThat(built).isEqualTo(parsed);
    assertThat(built.methodConfigs()).isEqualTo(parsed.methodConfigs());
    // Field by field too, so that equals() cannot hide a difference.
    assertThat(built.loadBalancingConfig())
        .isEqualTo(new LoadBalancingConfig("pick_first", new PickFirstBalancerBuilder.PickFirstConfig(true)));
    assertThat(built.retryThrottling()).isEqualTo(new RetryThrottlingPolicy(10, 0.123));
    assertThat(built.healthCheckServiceName()).isEqualTo("pkg.Svc");
    MethodConfig exact = built.methodConfig("pkg.Svc/Exact");
    assertThat(exact.maxResponseMessageBytes()).isEqualTo(Integer.MAX_VALUE);
    assertThat(exact.retryPolicy().maxAttempts()).isEqualTo(RetryPolicy.MAX_ATTEMPTS_LIMIT);
    assertThat(built.methodConfig("pkg.Other/X").hedgingPolicy().hedgingDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(built.methodConfig("none.Svc/X").waitForReady()).isFalse();
    assertThat(built.json()).isNull();
    assertThat(ServiceConfig.newBuilder().build()).isEqualTo(ServiceConfig.EMPTY);
  }

  @Test
  void optionalFieldsDefaultAsInJson() {
    ServiceConfig built = ServiceConfig.newBuilder()
        .methodConfig(MethodConfig.newBuilder().name("a.B")
            .hedgingPolicy(HedgingPolicy.newBuilder().maxAttempts(2)))
        .healthCheckServiceName("")
        .build();
    assertThat(built).isEqualTo(ServiceConfig.parse(
        "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"hedgingPolicy\": {\"maxAttempts\": 2}}],"
            + " \"healthCheckConfig\": {}}"));
    assertThat(built.methodConfig("a.B/M").hedgingPolicy())
        .isEqualTo(new HedgingPolicy(2, Duration.ZERO, java.util.Set.of()));
  }

  @Test
  void theBuilderKeepsWhatWasAddedThenNotLaterChanges() {
    RetryPolicy.Builder retry = RetryPolicy.newBuilder().maxAttempts(3).initialBackoff(Duration.ofSeconds(1))
        .maxBackoff(Duration.ofSeconds(1)).backoffMultiplier(1).retryableStatusCodes(Code.UNAVAILABLE);
    MethodConfig.Builder method = MethodConfig.newBuilder().name("a.B").retryPolicy(retry);
    ServiceConfig.Builder config = ServiceConfig.newBuilder().methodConfig(method);
    retry.maxAttempts(1);
    method.timeout(Duration.ofSeconds(-1));
    ServiceConfig built = config.build();
    assertThat(built.methodConfig("a.B/M").retryPolicy().maxAttempts()).isEqualTo(3);
    assertThat(built.methodConfig("a.B/M").timeout()).isNull();
  }

  /** Each case: a builder and the JSON saying the same; both must fail with the same message. */
  static Stream<Arguments> invalid() {
    return Stream.of(
        invalid("{\"methodConfig\": [{\"name\": [{\"method\": \"M\"}]}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name(null, "M")),
            "methodConfig[0].name[0].method", "is set ('M') without a service"),
        invalid("{\"methodConfig\": [{\"name\": [{}]}, {\"name\": [{}], \"timeout\": \"-1s\"}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name(""))
                .methodConfig(MethodConfig.newBuilder().name("").timeout(Duration.ofSeconds(-1))),
            "methodConfig[1].timeout", "must not be negative"),
        invalid("{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}]}, {\"name\": [{\"service\": \"a.B\", \"method\": \"\"}]}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("a.B"))
                .methodConfig(MethodConfig.newBuilder().name("a.B", "")),
            "methodConfig[1]", "repeats the name {service: 'a.B', method: ''}"),
        invalid("{\"methodConfig\": [{\"name\": [{}], \"maxRequestMessageBytes\": -1}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("").maxRequestMessageBytes(-1)),
            "methodConfig[0].maxRequestMessageBytes", "must not be negative"),
        invalid("{\"methodConfig\": [{\"name\": [{}], \"maxResponseMessageBytes\": -2}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("").maxResponseMessageBytes(-2)),
            "methodConfig[0].maxResponseMessageBytes", "must not be negative"),
        invalid("{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2}, \"hedgingPolicy\": {\"maxAttempts\": 2}}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("")
                .retryPolicy(RetryPolicy.newBuilder().maxAttempts(2))
                .hedgingPolicy(HedgingPolicy.newBuilder().maxAttempts(2))),
            "methodConfig[0]", "has both retryPolicy and hedgingPolicy"),
        invalid(retryJson("\"maxAttempts\": 1, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [14]"),
            () -> retry(RetryPolicy.newBuilder().maxAttempts(1).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(1)).backoffMultiplier(2).retryableStatusCodes(Code.UNAVAILABLE)),
            "methodConfig[0].retryPolicy.maxAttempts", "is required and must be > 1, got 1"),
        invalid(retryJson("\"maxAttempts\": 2, \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [14]"),
            () -> retry(RetryPolicy.newBuilder().maxAttempts(2)
                .maxBackoff(Duration.ofSeconds(1)).backoffMultiplier(2).retryableStatusCodes(Code.UNAVAILABLE)),
            "methodConfig[0].retryPolicy.initialBackoff", "is required and must be > 0, got null"),
        invalid(retryJson("\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"0s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [14]"),
            () -> retry(RetryPolicy.newBuilder().maxAttempts(2).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ZERO).backoffMultiplier(2).retryableStatusCodes(Code.UNAVAILABLE)),
            "methodConfig[0].retryPolicy.maxBackoff", "is required and must be > 0, got PT0S"),
        invalid(retryJson("\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": -1, \"retryableStatusCodes\": [14]"),
            () -> retry(RetryPolicy.newBuilder().maxAttempts(2).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(1)).backoffMultiplier(-1).retryableStatusCodes(Code.UNAVAILABLE)),
            "methodConfig[0].retryPolicy.backoffMultiplier", "is required and must be > 0, got -1.0"),
        invalid(retryJson("\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": []"),
            () -> retry(RetryPolicy.newBuilder().maxAttempts(2).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(1)).backoffMultiplier(2).retryableStatusCodes()),
            "methodConfig[0].retryPolicy.retryableStatusCodes", "is required and must not be empty"),
        invalid("{\"methodConfig\": [{\"name\": [{}], \"hedgingPolicy\": {\"maxAttempts\": 0}}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("")
                .hedgingPolicy(HedgingPolicy.newBuilder().maxAttempts(0))),
            "methodConfig[0].hedgingPolicy.maxAttempts", "is required and must be > 1, got 0"),
        invalid("{\"methodConfig\": [{\"name\": [{}], \"hedgingPolicy\": {\"maxAttempts\": 2, \"hedgingDelay\": \"-0.5s\"}}]}",
            () -> ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("")
                .hedgingPolicy(HedgingPolicy.newBuilder().maxAttempts(2).hedgingDelay(Duration.ofMillis(-500)))),
            "methodConfig[0].hedgingPolicy.hedgingDelay", "must not be negative"),
        invalid("{\"retryThrottling\": {\"maxTokens\": 1001, \"tokenRatio\": 1}}",
            () -> ServiceConfig.newBuilder().retryThrottling(1001, 1),
            "retryThrottling.maxTokens", "is required and must be in (0, 1000], got 1001"),
        invalid("{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0}}",
            () -> ServiceConfig.newBuilder().retryThrottling(10, 0),
            "retryThrottling.tokenRatio", "is required and must be > 0, got 0.0"),
        invalid("{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0.0004}}",
            () -> ServiceConfig.newBuilder().retryThrottling(10, 0.0004),
            "retryThrottling.tokenRatio", "rounds to 0 at three decimals"),
        invalid("{\"loadBalancingConfig\": [{\"grpclb\": {}}, {\"xds\": {}}]}",
            () -> ServiceConfig.newBuilder().loadBalancingConfig("grpclb").loadBalancingConfig("xds"),
            "loadBalancingConfig", "names no registered policy (found [grpclb, xds])"),
        invalid("{\"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": 1}}]}",
            () -> ServiceConfig.newBuilder().loadBalancingConfig("pick_first", Map.of("shuffleAddressList", 1L)),
            "loadBalancingConfig[0].pick_first", ": pick_first: shuffleAddressList must be a boolean"));
  }

  private static Arguments invalid(String json, Supplier<ServiceConfig.Builder> builder, String field,
      String reason) {
    return Arguments.of(json, builder, field, reason);
  }

  private static String retryJson(String fields) {
    return "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {" + fields + "}}]}";
  }

  private static ServiceConfig.Builder retry(RetryPolicy.Builder retry) {
    return ServiceConfig.newBuilder().methodConfig(MethodConfig.newBuilder().name("").retryPolicy(retry));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("invalid")
  void theBuilderRejectsWhatTheParserRejectsWithTheSameMessage(
      String json, Supplier<ServiceConfig.Builder> builder, String field, String reason) {
    InvalidServiceConfigException parsed =
        catchThrowableOfType(() -> ServiceConfig.parse(json), InvalidServiceConfigException.class);
    InvalidServiceConfigException built =
        catchThrowableOfType(() -> builder.get().build(), InvalidServiceConfigException.class);
    assertThat(parsed).as("parse(%s)", json).isNotNull();
    assertThat(built).as("build() for %s", json).isNotNull();
    assertThat(built.getMessage()).isEqualTo(parsed.getMessage());
    assertThat(built.field()).isEqualTo(field).isEqualTo(parsed.field());
    assertThat(built.getMessage()).startsWith(field).contains(reason);
    assertThat(built.reason()).doesNotStartWith(field).isNotBlank();
  }

  @Test
  void jsonTypeErrorsNameTheFieldToo() {
    InvalidServiceConfigException e = catchThrowableOfType(
        () -> ServiceConfig.parse("{\"methodConfig\": [{\"name\": [{}], \"timeout\": 5}]}"),
        InvalidServiceConfigException.class);
    assertThat(e.field()).isEqualTo("methodConfig[0].timeout");
    assertThat(e.reason()).startsWith("must be a string");
    assertThatThrownBy(() -> ServiceConfig.newBuilder().loadBalancingConfig("pick_first", null))
        .isInstanceOf(NullPointerException.class);
  }
}
