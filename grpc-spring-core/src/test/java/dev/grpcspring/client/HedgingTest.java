package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.channelz.AttemptCounters;
import dev.grpcspring.client.RetryService.Attempt;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hedged calls (gRFC A6 hedgingPolicy) from our channel to grpc-java's server, observed on the server. */
class HedgingTest {
  private static final AtomicInteger KEYS = new AtomicInteger();
  static RetryService service;
  static JavaPeer peer;

  @BeforeAll
  static void setUp() throws Exception {
    service = new RetryService();
    peer = JavaPeer.start("hedging", 0, p -> service.definition());
  }

  @AfterAll
  static void tearDown() throws Exception {
    peer.close();
  }

  private static String policy(int maxAttempts, String delay, String... nonFatal) {
    return "{\"methodConfig\": [{\"name\": [{\"service\": \"test.Retry\"}], \"hedgingPolicy\": {"
        + "\"maxAttempts\": " + maxAttempts + ", \"hedgingDelay\": \"" + delay + "\""
        + ", \"nonFatalStatusCodes\": [" + String.join(", ", List.of(nonFatal).stream()
            .map(c -> "\"" + c + "\"").toList()) + "]}}]";
  }

  private static ClientConn dial(String json, UnaryOperator<DialOptions.Builder> more) {
    return ClientConn.dial(peer.target(),
        more.apply(DialOptions.newBuilder().insecure().defaultServiceConfig(json)).build());
  }

  private static ClientConn dial(String json) {
    return dial(json, b -> b);
  }

  private static String key() {
    return "h" + KEYS.incrementAndGet();
  }

  private static StringValue unary(ClientConn cc, String spec, CallOptions options) {
    return cc.invoke(RetryService.UNARY, sv(spec), options.withDeadlineAfter(20, TimeUnit.SECONDS));
  }

  private static StringValue unary(ClientConn cc, String spec) {
    return unary(cc, spec, CallOptions.DEFAULT);
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
  void aHedgeAnswersForAStalledAttemptWhichTheServerSeesCancelled() throws Exception {
    // Two attempts at most: on a busy machine a third could go before the second's headers return.
    try (ClientConn cc = dial(policy(2, "0.1s") + "}")) {
      String k = key();
      String spec = "key=" + k + ";stall=1";
      AttemptLog log = new AttemptLog();
      assertThat(unary(cc, spec, ClientCallOptions.withAttemptListener(CallOptions.DEFAULT, log))
          .getValue()).isEqualTo(spec);
      // Both attempts are out at once: the server may record them in either order.
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts)
          .containsExactlyInAnyOrder(null, "1");
      assertThat(service.awaitCancellations(k, 1, 10, TimeUnit.SECONDS))
          .as("the stalled first attempt is reset").isTrue();
      // The hedge's headers commit the call: the first attempt is cancelled before the hedge ends.
      assertThat(log.events).containsExactly("start 1 FIRST 0", "start 2 HEDGE 1", "end 1 CANCELLED",
          "end 2 OK committed");
      AttemptCounters counters = cc.channelz().attempts();
      assertThat(counters.attempts()).isEqualTo(2);
      assertThat(counters.hedges()).isEqualTo(1);
      assertThat(counters.retries()).isZero();
    }
  }

  @Test
  void aNonFatalStatusSendsTheNextHedgeAtOnceAndAFatalOneEndsTheCall() {
    // A delay far past the deadline: only the non-fatal shortcut can send the second attempt.
    try (ClientConn cc = dial(policy(3, "60s", "UNAVAILABLE") + "}")) {
      String k = key();
      String spec = "key=" + k + ";fail=1";
      assertThat(unary(cc, spec).getValue()).isEqualTo(spec);
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts).containsExactly(null, "1");

      String f = key();
      assertThat(unaryFails(cc, "key=" + f + ";fail=1;code=INTERNAL")).isEqualTo(Code.INTERNAL);
      assertThat(service.attempts(f)).hasSize(1);
    }
  }

  @Test
  void everyAttemptFailingNonFatallyEndsWithTheLastStatusAfterMaxAttempts() {
    try (ClientConn cc = dial(policy(9, "60s", "UNAVAILABLE") + "}", b -> b.maxCallAttempts(4))) {
      String k = key();
      assertThat(unaryFails(cc, "key=" + k + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts)
          .containsExactly(null, "1", "2", "3");
    }
  }

  @Test
  void serverPushbackDelaysTheNextHedgeAndANegativeOneStopsHedging() {
    try (ClientConn cc = dial(policy(3, "60s", "UNAVAILABLE") + "}")) {
      String k = key();
      assertThat(unary(cc, "key=" + k + ";fail=1;pushback=300").getValue()).startsWith("key=" + k);
      List<Attempt> a = service.attempts(k);
      assertThat(a).hasSize(2);
      assertThat(Duration.ofNanos(a.get(1).startNanos() - a.get(0).startNanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));

      String s = key();
      assertThat(unaryFails(cc, "key=" + s + ";fail=1;pushback=-1")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(s)).hasSize(1);
    }
  }

  @Test
  void throttlingStopsHedgesAndIsCounted() {
    // 4 tokens, hedges only while more than 2 are left: 4 -> 3 hedges once, 3 -> 2 stops.
    String json = policy(5, "60s", "UNAVAILABLE")
        + ", \"retryThrottling\": {\"maxTokens\": 4, \"tokenRatio\": 1}}";
    try (ClientConn cc = dial(json)) {
      String a = key();
      assertThat(unaryFails(cc, "key=" + a + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(a)).hasSize(2);
      String b = key();
      assertThat(unaryFails(cc, "key=" + b + ";fail=100")).isEqualTo(Code.UNAVAILABLE);
      assertThat(service.attempts(b)).as("2 -> 1: no hedge at all").hasSize(1);
      AttemptCounters counters = cc.channelz().attempts();
      assertThat(counters.hedges()).isEqualTo(1);
      assertThat(counters.throttledRetries()).isEqualTo(2);
      assertThat(counters.attempts()).isEqualTo(3);
    }
  }

  @Test
  void clientStreamingHedgesReplayTheBufferedMessages() throws Exception {
    try (ClientConn cc = dial(policy(2, "0.1s") + "}")) {
      String k = key();
      String spec = "key=" + k + ";stall=1";
      CompletableFuture<String> result = new CompletableFuture<>();
      StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
          cc.newCall(RetryService.CLIENT_STREAM, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
          observer(result));
      req.onNext(sv(spec));
      req.onNext(sv("a"));
      req.onNext(sv("b"));
      req.onCompleted();
      assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(spec + " a b");
      assertThat(service.attempts(k)).extracting(Attempt::body).containsExactly(spec + " a b", spec + " a b");
      assertThat(service.awaitCancellations(k, 1, 10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void bidiHedgesGetMessagesSentBeforeAndAfterTheyStart() throws Exception {
    try (ClientConn cc = dial(policy(2, "0.05s") + "}")) {
      String k = key();
      String spec = "key=" + k + ";stall=1";
      CountDownLatch hedged = new CountDownLatch(1);
      AttemptLog log = new AttemptLog() {
        @Override
        public void attemptStarted(int number, Kind kind, int previousAttempts) {
          if (kind == Kind.HEDGE) {
            hedged.countDown();
          }
        }
      };
      ClientStream<StringValue, StringValue> s = cc.newStream(RetryService.BIDI,
          ClientCallOptions.withAttemptListener(CallOptions.DEFAULT, log)
              .withDeadlineAfter(20, TimeUnit.SECONDS));
      s.sendMsg(sv(spec));
      // Sent once the hedge is out: both attempts must get it, one live, the other live or replayed.
      assertThat(hedged.await(10, TimeUnit.SECONDS)).isTrue();
      s.sendMsg(sv("x"));
      s.closeSend();
      assertThat(s.recvMsg().getValue()).isEqualTo(spec + " x");
      assertThat(s.recvMsg()).isNull();
      assertThat(service.attempts(k)).extracting(Attempt::body).containsExactly(spec + " x", spec + " x");
    }
  }

  @Test
  void aRequestOverTheBufferLimitCommitsAndNoHedgeFollows() throws Exception {
    try (ClientConn cc = dial(policy(3, "0.2s", "UNAVAILABLE") + "}")) {
      String k = key();
      CompletableFuture<String> result = new CompletableFuture<>();
      StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
          cc.newCall(RetryService.CLIENT_STREAM, ClientCallOptions.withMaxRetryRpcBufferSize(
              CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), 100)),
          observer(result));
      req.onNext(sv("key=" + k + ";fail=1"));
      req.onNext(sv("y".repeat(200)));
      req.onCompleted();
      assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE));
      assertThat(service.attempts(k)).hasSize(1);
      assertThat(cc.channelz().attempts().hedges()).isZero();
    }
  }

  @Test
  void theDeadlineSpansAllHedgesAndCancelsThemAll() throws Exception {
    try (ClientConn cc = dial(policy(3, "0.1s") + "}")) {
      String k = key();
      assertThatThrownBy(() -> cc.invoke(RetryService.UNARY, sv("key=" + k + ";stall=100"),
              CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS)))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
      assertThat(service.attempts(k)).extracting(Attempt::previousAttempts)
          .containsExactlyInAnyOrder(null, "1", "2");
      assertThat(service.awaitCancellations(k, 3, 10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Attempt events in order, as text. */
  static class AttemptLog implements CallAttemptListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void attemptStarted(int number, Kind kind, int previousAttempts) {
      events.add("start " + number + " " + kind + " " + previousAttempts);
    }

    @Override
    public void attemptEnded(int number, Status status, boolean committed) {
      events.add("end " + number + " " + status.getCode() + (committed ? " committed" : ""));
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
