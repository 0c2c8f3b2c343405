package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.RetryService.Attempt;
import dev.grpcspring.serviceconfig.MethodConfig;
import dev.grpcspring.serviceconfig.RetryPolicy;
import dev.grpcspring.serviceconfig.ServiceConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A default service config made with {@link ServiceConfig#newBuilder()} acts on the wire, from our
 * channel to grpc-java's server, which records every attempt it sees.
 */
class TypedServiceConfigTest {
  static RetryService service;
  static JavaPeer peer;

  @BeforeAll
  static void setUp() throws Exception {
    service = new RetryService();
    peer = JavaPeer.start("typed-service-config", 0, p -> service.definition());
  }

  @AfterAll
  static void tearDown() throws Exception {
    peer.close();
  }

  private static ClientConn dial(ServiceConfig config) {
    return ClientConn.dial(peer.target(),
        DialOptions.newBuilder().insecure().defaultServiceConfig(config).build());
  }

  private static Code fails(ClientConn cc, String spec) {
    try {
      cc.invoke(RetryService.UNARY, sv(spec), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    } catch (StatusException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the call succeeded: " + spec);
  }

  @Test
  void aRetryPolicyFromTheBuilderRetriesUntilSuccess() {
    ServiceConfig config = ServiceConfig.newBuilder()
        .methodConfig(MethodConfig.newBuilder()
            .name(RetryService.SERVICE)
            .retryPolicy(RetryPolicy.newBuilder()
                .maxAttempts(4)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50))
                .backoffMultiplier(2)
                .retryableStatusCodes(Code.UNAVAILABLE)))
        .build();
    try (ClientConn cc = dial(config)) {
      String spec = "key=typed-retry;fail=2";
      assertThat(cc.invoke(RetryService.UNARY, sv(spec),
          CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)).getValue()).isEqualTo(spec);
      // Three attempts on the server, the later ones carrying grpc-previous-rpc-attempts.
      assertThat(service.attempts("typed-retry")).extracting(Attempt::previousAttempts)
          .containsExactly(null, "1", "2");
      // A code outside retryableStatusCodes is not retried.
      assertThat(fails(cc, "key=typed-no-retry;fail=1;code=INTERNAL")).isEqualTo(Code.INTERNAL);
      assertThat(service.attempts("typed-no-retry")).hasSize(1);
    }
  }

  @Test
  void aMethodTimeoutFromTheBuilderEndsACallTheServerDoesNotAnswer() {
    ServiceConfig config = ServiceConfig.newBuilder()
        .methodConfig(MethodConfig.newBuilder()
            .name(RetryService.SERVICE, "Unary")
            .timeout(Duration.ofMillis(300)))
        .build();
    try (ClientConn cc = dial(config)) {
      long start = System.nanoTime();
      // stall=1: the server never answers the first attempt; only the method timeout ends it.
      assertThat(fails(cc, "key=typed-timeout;stall=1")).isEqualTo(Code.DEADLINE_EXCEEDED);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(tookMs).isBetween(250L, 10_000L);
      assertThat(service.attempts("typed-timeout")).hasSize(1);
    }
  }

  @Test
  void aRequestSizeLimitFromTheBuilderStopsALargeRequestBeforeTheServer() {
    ServiceConfig config = ServiceConfig.newBuilder()
        .methodConfig(MethodConfig.newBuilder().name("").maxRequestMessageBytes(64))
        .build();
    try (ClientConn cc = dial(config)) {
      assertThat(fails(cc, "key=typed-size;pad=" + "x".repeat(100))).isEqualTo(Code.RESOURCE_EXHAUSTED);
      assertThat(service.attempts("typed-size")).isEmpty();
      // A small one still goes through.
      assertThat(cc.invoke(RetryService.UNARY, sv("key=typed-small"),
          CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)).getValue()).isEqualTo("key=typed-small");
    }
  }

  @Test
  void theTypedDefaultAndTheJsonDefaultReplaceEachOther() {
    ServiceConfig config = ServiceConfig.newBuilder().retryThrottling(10, 0.1).build();
    DialOptions typed = DialOptions.newBuilder().defaultServiceConfig("{}").defaultServiceConfig(config).build();
    assertThat(typed.defaultServiceConfig()).isSameAs(config);
    assertThat(typed.defaultServiceConfigJson()).isNull();
    DialOptions json = typed.toBuilder().defaultServiceConfig("{}").build();
    assertThat(json.defaultServiceConfig()).isNull();
    assertThat(json.defaultServiceConfigJson()).isEqualTo("{}");
    assertThatThrownBy(() -> DialOptions.newBuilder().defaultServiceConfig((ServiceConfig) null))
        .isInstanceOf(NullPointerException.class);
  }
}
