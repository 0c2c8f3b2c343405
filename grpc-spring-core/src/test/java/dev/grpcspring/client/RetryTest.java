package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.RetryService.Attempt;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Configured retries (gRFC A6) from our channel to grpc-java's server, observed on the server. */
class RetryTest {
  private static final AtomicInteger KEYS = new AtomicInteger();
  static RetryService service;
  static JavaPeer peer;

  @BeforeAll
  static void setUp() throws Exception {
    service = new RetryService();
    peer = JavaPeer.start("retry", 0, p -> service.definition());
  }

  @AfterAll
  static void tearDown() throws Exception {
    peer.close();
  }

  private static String policy(int maxAttempts, String initial, String max, double multiplier) {
    return "{\"methodConfig\": [{\"name\": [{\"service\": \"test.Retry\"}], \"retryPolicy\": {"
        + "\"maxAttempts\": " + maxAttempts + ", \"initialBackoff\": \"" + initial + "\", \"maxBackoff\": \""
        + max + "\", \"backoffMultiplier\": " + multiplier
        + ", \"retryableStatusCodes\": [\"UNAVAILABLE\", \"RESOURCE_EXHAUSTED\"]}}]";
  }

  private static ClientConn dial(String json, UnaryOperator<DialOptions.Builder> more) {
    return ClientConn.dial(peer.target(),
        more.apply(DialOptions.newBuilder().insecure().defaultServiceConfig(json)).build());
  }

  private static ClientConn dial(String json) {
    return dial(json, b -> b);
  }

  private static String key() {
    return "k" + KEYS.incrementAndGet();
  }

  private static StringValue unary(ClientConn cc, String spec) {
    return cc.invoke(RetryService.UNARY, sv(spec), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
  }

  private static Code unaryFails(ClientConn cc, String spec) {
    try {
      unary(cc, spec);
    } catch (StatusException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the call succeeded: " + spec);
  }

  @Test
  void unaryIsRetriedUntilItSucceedsAndTheServerSeesTheAttemptCount() {
    try (ClientConn cc = dial(policy(4, "0.01s", "0.05s", 2) + "}")) {
      String k = key();
      String spec = "key=" + k + ";fail=2";
      assertThat(unary(cc, spec).getValue()).isEqualTo(spec);
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts)
          .containsExactly(null, "1", "2");
    }
  }

  @Test
  void stopsAtMaxAttemptsCappedAtFiveOrTheChannelsCap() {
    try (ClientConn cc = dial(policy(3, "0.01s", "0.01s", 1) + "}")) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(k)).hasSize(3);
    }
    try (ClientConn cc = dial(policy(9, "0.01s", "0.01s", 1) + "}")) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=100;code=RESOURCE_EXHAUSTED"))
          .isEqualTo(Code.RESOURCE_EXHAUSTED);
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts)
          .containsExactly(null, "1", "2", "3", "4");
    }
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}", b -> b.maxCallAttempts(2))) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(k)).hasSize(2);
    }
  }

  @Test
  void codesOutsideTheRetryableSetAreNotRetried() {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}")) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=1;code=INTERNAL")).isEqualTo(Code.INTERNAL);
      assertThat(service.attempts(k)).hasSize(1);
    }
  }

  @Test
  void disableRetryTurnsThePolicyOff() {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}", DialOptions.Builder::disableRetry)) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=1")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(k)).hasSize(1);
    }
  }

  @Test
  void anAttemptThatGotResponseHeadersIsNeverRetried() {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}")) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=1;headers=1")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(k)).hasSize(1);
    }
  }

  @Test
  void clientStreamingCallsReplayTheirMessages() throws Exception {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}")) {
      String k = key();
      String spec = "key=" + k + ";fail=2";
      CompletableFuture<String> result = new CompletableFuture<>();
      StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
          cc.newCall(RetryService.CLIENT_STREAM, CallOptions.DEFAULT), observer(result));
      req.onNext(sv(spec));
      req.onNext(sv("a"));
      req.onNext(sv("b"));
      req.onCompleted();
      assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(spec + " a b");
      assertThat(service.attempts(k)).extracting(Attempt::body)
          .containsExactly(spec + " a b", spec + " a b", spec + " a b");
    }
  }

  @Test
  void bidiCallsReplayTheirMessagesIncludingThoseSentDuringTheBackoff() throws Exception {
    try (ClientConn cc = dial(policy(3, "0.2s", "0.2s", 1) + "}")) {
      String k = key();
      String spec = "key=" + k + ";fail=1";
      ClientStream<StringValue, StringValue> s = cc.newStream(RetryService.BIDI, CallOptions.DEFAULT);
      s.sendMsg(sv(spec));
      s.sendMsg(sv("x"));
      s.closeSend();
      assertThat(s.recvMsg().getValue()).isEqualTo(spec + " x");
      assertThat(s.recvMsg()).isNull();
      assertThat(service.attempts(k)).extracting(Attempt::body).containsExactly(spec + " x", spec + " x");
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts).containsExactly(null, "1");
    }
  }

  @Test
  void aRequestOverTheCallsBufferLimitCommitsTheCall() throws Exception {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}")) {
      String k = key();
      CompletableFuture<String> result = new CompletableFuture<>();
      StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
          cc.newCall(RetryService.CLIENT_STREAM,
              ClientCallOptions.withMaxRetryRpcBufferSize(CallOptions.DEFAULT, 100)),
          observer(result));
      req.onNext(sv("key=" + k + ";fail=1"));
      req.onNext(sv("y".repeat(200)));
      req.onCompleted();
      assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE));
      assertThat(service.attempts(k)).hasSize(1);
    }
  }

  @Test
  void aRequestOverTheChannelsBufferLimitCommitsTheCall() {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}", b -> b.retryBufferSize(10))) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=1")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(k)).hasSize(1);
    }
  }

  @Test
  void serverPushbackSetsTheDelay() {
    // The policy's own backoff is at most 1 ms; the server asks for 500 ms.
    try (ClientConn cc = dial(policy(3, "0.001s", "0.001s", 1) + "}")) {
      String k = key();
      assertThat(unary(cc, "key=" + k + ";fail=1;pushback=500").getValue()).startsWith("key=" + k);
      List<Attempt> a = service.attempts(k);
      assertThat(a).hasSize(2);
      assertThat(Duration.ofNanos(a.get(1).startNanos() - a.get(0).startNanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }
  }

  @Test
  void negativeOrInvalidPushbackStopsRetrying() {
    try (ClientConn cc = dial(policy(5, "0.01s", "0.01s", 1) + "}")) {
      for (String v : List.of("-1", "soon", "007")) {
        String k = key();
        assertThat(unaryFails(cc, "key=" + k + ";fail=1;pushback=" + v)).isEqualTo(Code.UNAVAILABLE);
        assertThat(service.attempts(k)).as("pushback %s", v).hasSize(1);
      }
    }
  }

  @Test
  void theDeadlineSpansAllAttempts() {
    // Backoffs up to a minute: the call's 1 s deadline ends it while it waits to retry.
    try (ClientConn cc = dial(policy(5, "60s", "60s", 1) + "}")) {
      String k = key();
      assertThatThrownBy(() -> cc.invoke(RetryService.UNARY, sv("key=" + k + ";fail=100"),
              CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS)))
          .isInstanceOfSatisfying(StatusException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED);
                if (service.attempts(k).size() < 5) {
                  assertThat(e.getStatus().getDescription()).contains("waiting to make attempt");
                }
              });
      assertThat(service.attempts(k)).hasSizeBetween(1, 5);
    }
  }

  @Test
  void throttlingStopsRetriesAfterFailuresAndSuccessesRefillTheBucket() {
    // 4 tokens, retries only while more than 2 are left; each success gives one back.
    String json = policy(5, "0.001s", "0.001s", 1)
        + ", \"retryThrottling\": {\"maxTokens\": 4, \"tokenRatio\": 1}}";
    try (ClientConn cc = dial(json)) {
      String a = key();
      assertThat(unaryFails(cc, "key=" + a + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(a)).as("4 -> 3 retries, 3 -> 2 stops").hasSize(2);
      String b = key();
      assertThat(unaryFails(cc, "key=" + b + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(b)).as("2 -> 1 stops at once").hasSize(1);
      for (int i = 0; i < 3; i++) {
        unary(cc, "key=" + key());
      }
      String c = key();
      assertThat(unaryFails(cc, "key=" + c + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(c)).as("refilled to 4 by successes").hasSize(2);
    }
  }

  private static StreamObserver<StringValue> observer(CompletableFuture<String> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {
        result.complete(value.getValue());
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.complete(null);
      }
    };
  }
}
