package dev.grpcspring.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.balancer.PickFirstBalancerBuilder;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
  private static final String FULL = """
      {
        "loadBalancingConfig": [ {"grpclb": {}}, {"round_robin": {}}, {"pick_first": {}} ],
        "methodConfig": [
          { "name": [ {"service": "pkg.Svc", "method": "Exact"} ],
            "timeout": "1.5s", "waitForReady": true,
            "maxRequestMessageBytes": 1024, "maxResponseMessageBytes": "1048576",
            "retryPolicy": { "maxAttempts": 9, "initialBackoff": "0.1s", "maxBackoff": "2s",
                             "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE", "resource_exhausted", 4] } },
          { "name": [ {"service": "pkg.Svc"}, {"service": "pkg.Other", "method": ""} ],
            "timeout": "10s",
            "hedgingPolicy": { "maxAttempts": 7, "hedgingDelay": "0.05s", "nonFatalStatusCodes": ["UNAVAILABLE", 13] } },
          { "name": [ {} ], "waitForReady": false },
          { "name": [], "timeout": "99s" }
        ],
        "retryThrottling": { "maxTokens": 10, "tokenRatio": 0.1239 },
        "someFutureField": {"ignored": true}
      }
      """;

  @Test
  void parsesEveryField() {
    ServiceConfig sc = ServiceConfig.parse(FULL);
    assertThat(sc.loadBalancingConfig().policyName()).isEqualTo("round_robin");
    assertThat(sc.retryThrottling()).isEqualTo(new RetryThrottlingPolicy(10, 0.123));
    assertThat(sc.healthCheckServiceName()).isNull();
    assertThat(sc.methodConfigs()).hasSize(3);
    assertThat(sc.json()).isEqualTo(FULL);

    MethodConfig exact = sc.methodConfig("pkg.Svc/Exact");
    assertThat(exact.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(exact.waitForReady()).isTrue();
    assertThat(exact.maxRequestMessageBytes()).isEqualTo(1024);
    assertThat(exact.maxResponseMessageBytes()).isEqualTo(1048576);
    RetryPolicy retry = exact.retryPolicy();
    assertThat(retry.maxAttempts()).isEqualTo(5); // 9 is capped, not an error
    assertThat(retry.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(retry.backoffMultiplier()).isEqualTo(2.0);
    assertThat(retry.retryableStatusCodes())
        .containsExactlyInAnyOrder(Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED, Code.DEADLINE_EXCEEDED);
    assertThat(exact.hedgingPolicy()).isNull();

    MethodConfig service = sc.methodConfig("/pkg.Svc/Other");
    assertThat(service.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(service.waitForReady()).isNull();
    assertThat(service.hedgingPolicy()).isEqualTo(new HedgingPolicy(
        5, Duration.ofMillis(50), Set.of(Code.UNAVAILABLE, Code.INTERNAL))); // 7 is capped
    assertThat(service.retryPolicy()).isNull();
    assertThat(sc.methodConfig("pkg.Other/Anything")).isSameAs(service);

    MethodConfig fallback = sc.methodConfig("unknown.Svc/M");
    assertThat(fallback.waitForReady()).isFalse();
    assertThat(fallback.timeout()).isNull();
  }

  @Test
  void withoutADefaultUnmatchedMethodsGetTheEmptyConfig() {
    ServiceConfig sc = ServiceConfig.parse("{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"timeout\": \"1s\"}]}");
    assertThat(sc.methodConfig("a.B/X").timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(sc.methodConfig("a.C/X")).isSameAs(MethodConfig.EMPTY);
    assertThat(sc.loadBalancingConfig()).isNull();
    assertThat(sc.retryThrottling()).isNull();
    assertThat(sc.healthCheckServiceName()).isNull();
  }

  @Test
  void nullAndEmptyMethodMeanTheWholeService() {
    ServiceConfig sc = ServiceConfig.parse(
        "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\", \"method\": null}], \"waitForReady\": true}]}");
    assertThat(sc.methodConfig("a.B/X").waitForReady()).isTrue();
    assertThatThrownBy(() -> ServiceConfig.parse(
            "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\", \"method\": \"\"}]},"
                + " {\"name\": [{\"service\": \"a.B\"}]}]}"))
        .hasMessageContaining("methodConfig[1] repeats the name")
        .hasMessageContaining("unique");
  }

  @Test
  void loadBalancingPolicyIsUsedOnlyWithoutLoadBalancingConfig() {
    assertThat(ServiceConfig.parse("{\"loadBalancingPolicy\": \"ROUND_ROBIN\"}").loadBalancingConfig().policyName())
        .isEqualTo("round_robin");
    ServiceConfig both = ServiceConfig.parse(
        "{\"loadBalancingPolicy\": \"round_robin\", \"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": true}}]}");
    assertThat(both.loadBalancingConfig().policyName()).isEqualTo("pick_first");
    assertThat(both.loadBalancingConfig().config())
        .isEqualTo(new PickFirstBalancerBuilder.PickFirstConfig(true));
  }

  @Test
  void equalConfigsCompareEqual() {
    assertThat(ServiceConfig.parse(FULL)).isEqualTo(ServiceConfig.parse(FULL.replace("\n", " ")));
    assertThat(ServiceConfig.parse("{}")).isEqualTo(ServiceConfig.EMPTY);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"methodConfig\": {}}                                              | methodConfig must be a JSON array",
        "{\"methodConfig\": [{\"name\": [{\"method\": \"M\"}]}]}             | methodConfig[0].name[0].method is set ('M') without a service",
        "{\"methodConfig\": [{\"name\": [{}], \"timeout\": \"1m\"}]}         | methodConfig[0].timeout must be a duration",
        "{\"methodConfig\": [{\"name\": [{}], \"timeout\": \"-1s\"}]}        | methodConfig[0].timeout must not be negative",
        "{\"methodConfig\": [{\"name\": [{}], \"waitForReady\": \"yes\"}]}   | methodConfig[0].waitForReady must be true or false",
        "{\"methodConfig\": [{\"name\": [{}], \"maxRequestMessageBytes\": -1}]} | methodConfig[0].maxRequestMessageBytes must not be negative",
        "{\"methodConfig\": [{\"name\": [{}], \"maxResponseMessageBytes\": 1.5}]} | methodConfig[0].maxResponseMessageBytes must be an integer",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {}, \"hedgingPolicy\": {\"maxAttempts\": 2}}]} | has both retryPolicy and hedgingPolicy",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 1}}]} | methodConfig[0].retryPolicy.maxAttempts is required and must be > 1",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2, \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [14]}}]} | methodConfig[0].retryPolicy.initialBackoff is required and must be > 0",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2, \"initialBackoff\": \"0s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [14]}}]} | methodConfig[0].retryPolicy.initialBackoff is required and must be > 0",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 0, \"retryableStatusCodes\": [14]}}]} | methodConfig[0].retryPolicy.backoffMultiplier is required and must be > 0",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": []}}]} | methodConfig[0].retryPolicy.retryableStatusCodes is required and must not be empty",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [\"NOPE\"]}}]} | methodConfig[0].retryPolicy.retryableStatusCodes[0] is not a status code name",
        "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2, \"retryableStatusCodes\": [17]}}]} | methodConfig[0].retryPolicy.retryableStatusCodes[0] is not a status code",
        "{\"methodConfig\": [{\"name\": [{}], \"hedgingPolicy\": {\"maxAttempts\": 1}}]}  | methodConfig[0].hedgingPolicy.maxAttempts is required and must be > 1",
        "{\"methodConfig\": [{\"name\": [{}], \"hedgingPolicy\": {\"maxAttempts\": 2, \"hedgingDelay\": \"-1s\"}}]}  | methodConfig[0].hedgingPolicy.hedgingDelay must not be negative",
        "{\"methodConfig\": [{\"name\": [{}], \"hedgingPolicy\": {\"maxAttempts\": 2, \"nonFatalStatusCodes\": [\"NOPE\"]}}]}  | methodConfig[0].hedgingPolicy.nonFatalStatusCodes[0] is not a status code name",
        "{\"retryThrottling\": {\"maxTokens\": 1001, \"tokenRatio\": 1}}     | retryThrottling.maxTokens is required and must be in (0, 1000]",
        "{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0}}       | retryThrottling.tokenRatio is required and must be > 0",
        "{\"loadBalancingConfig\": [{\"grpclb\": {}}, {\"xds\": {}}]}        | loadBalancingConfig names no registered policy (found [grpclb, xds])",
        "{\"loadBalancingConfig\": [{\"round_robin\": {}, \"pick_first\": {}}]} | loadBalancingConfig[0] must have exactly one field",
        "{\"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": 1}}]} | loadBalancingConfig[0].pick_first: pick_first: shuffleAddressList must be a boolean",
        "{\"loadBalancingPolicy\": \"nope\"}                                   | loadBalancingPolicy 'nope' is not a registered policy",
        "{\"healthCheckConfig\": {\"serviceName\": 7}}                        | healthCheckConfig.serviceName must be a string",
        "{\"healthCheckConfig\": []}                                            | healthCheckConfig must be",
        "[]                                                                    | The service config must be a JSON object",
        "{\"a\": 1, \"a\": 2}                                                  | Malformed JSON",
        "{\"methodConfig\": [}                                                 | Malformed JSON",
        "{} {}                                                                 | Unexpected content after the JSON value",
      })
  void invalidConfigsNameTheField(String json, String message) {
    assertThatThrownBy(() -> ServiceConfig.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void healthCheckConfigGivesTheServiceName() {
    assertThat(ServiceConfig.parse("{\"healthCheckConfig\": {\"serviceName\": \"pkg.Svc\"}}")
        .healthCheckServiceName()).isEqualTo("pkg.Svc");
    // No name is the whole server's health, the empty name.
    assertThat(ServiceConfig.parse("{\"healthCheckConfig\": {}}").healthCheckServiceName()).isEmpty();
    assertThat(ServiceConfig.parse("{}").healthCheckServiceName()).isNull();
  }
}
