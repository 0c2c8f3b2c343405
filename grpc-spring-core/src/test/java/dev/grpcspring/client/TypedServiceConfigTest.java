package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.RetryService.Attempt;
import dev.grpcspring.resolver.ResolverState;
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

  /** A channel that is already READY (a blocking dial). */
  private static ClientConn dial(ServiceConfig config) {
    return ClientConn.dial(peer.target(),
        DialOptions.newBuilder().insecure().block().defaultServiceConfig(config).build());
  }

  private static Code fails(ClientConn cc, String spec) {
    try {
      cc.invoke(RetryService.UNARY, sv(spec), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    } catch (StatusException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the call succeeded: " + spec);
  }

  /**
   * Makes a call the server never answers on a connected channel (so that connecting does not eat
   * the timeout); returns how long it took to end with DEADLINE_EXCEEDED.
   */
  private static long stalledCallTakesMillis(ClientConn cc, String key) {
    long start = System.nanoTime();
    assertThat(fails(cc, "key=" + key + ";stall=1")).isEqualTo(Code.DEADLINE_EXCEEDED);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
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
      // stall=1: the server never answers the first attempt; only the method timeout ends it,
      // long before the call's own 20 s deadline.
      assertThat(stalledCallTakesMillis(cc, "typed-timeout")).isBetween(250L, 10_000L);
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
  void theTypedDefaultStandsInForAnInvalidConfigFromTheResolver() {
    String broken = "{\"methodConfig\": [{\"name\": [{}], \"timeout\": \"-1s\"}]}";
    ManualResolver r = new ManualResolver();
    r.update(new ResolverState(ManualResolver.addresses(peer.port()), broken, null));
    ServiceConfig config = ServiceConfig.newBuilder()
        .methodConfig(MethodConfig.newBuilder().name(RetryService.SERVICE).timeout(Duration.ofMillis(300)))
        .build();
    try (ClientConn cc = ClientConn.dial(r.target(),
        DialOptions.newBuilder().insecure().block().resolver(r).defaultServiceConfig(config).build())) {
      // gRFC A21: the invalid config is rejected and the default one applies: its timeout acts.
      assertThat(stalledCallTakesMillis(cc, "typed-fallback")).isBetween(250L, 10_000L);
    }
    // Without a default there is nothing to fall back to: calls fail, saying why.
    ManualResolver bare = new ManualResolver();
    bare.update(new ResolverState(ManualResolver.addresses(peer.port()), broken, null));
    try (ClientConn cc = ClientConn.dial(bare.target(),
        DialOptions.newBuilder().insecure().resolver(bare).build())) {
      assertThatThrownBy(() -> cc.invoke(RetryService.UNARY, sv("key=typed-bare"),
              CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains(
                "service config for " + bare.target() + " is invalid: methodConfig[0].timeout must not be negative");
          });
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
