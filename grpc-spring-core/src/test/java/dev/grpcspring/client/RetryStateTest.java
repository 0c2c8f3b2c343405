package dev.grpcspring.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.serviceconfig.RetryPolicy;
import dev.grpcspring.serviceconfig.RetryThrottlingPolicy;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryStateTest {
  private static final RetryPolicy POLICY = new RetryPolicy(5, Duration.ofMillis(100),
      Duration.ofMillis(300), 2, Set.of(Code.UNAVAILABLE));

  private static Metadata pushback(String v) {
    Metadata md = new Metadata();
    md.putAscii("grpc-retry-pushback-ms", v);
    return md;
  }

  @Test
  void backoffGrowsByTheMultiplierUpToTheMaxWithJitterInZeroToTheBackoff() {
    RetryState full = new RetryState(POLICY, 5, null, () -> 1.0);
    Status unavailable = Status.UNAVAILABLE;
    assertThat(full.onAttemptFailed(unavailable, new Metadata())).isEqualTo(100_000_000L);
    assertThat(full.onAttemptFailed(unavailable, new Metadata())).isEqualTo(200_000_000L);
    assertThat(full.onAttemptFailed(unavailable, new Metadata())).isEqualTo(300_000_000L);
    assertThat(full.onAttemptFailed(unavailable, new Metadata())).isEqualTo(300_000_000L);
    assertThat(full.attempts()).isEqualTo(5);
    assertThat(full.onAttemptFailed(unavailable, new Metadata())).isEqualTo(RetryState.NO_RETRY);

    RetryState half = new RetryState(POLICY, 5, null, () -> 0.5);
    assertThat(half.onAttemptFailed(unavailable, new Metadata())).isEqualTo(50_000_000L);
    RetryState none = new RetryState(POLICY, 5, null, () -> 0.0);
    assertThat(none.onAttemptFailed(unavailable, new Metadata())).isZero();
  }

  @Test
  void pushbackReplacesTheDelayAndRestartsTheSequence() {
    RetryState s = new RetryState(POLICY, 5, null, () -> 1.0);
    assertThat(s.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isEqualTo(100_000_000L);
    assertThat(s.onAttemptFailed(Status.UNAVAILABLE, pushback("1234"))).isEqualTo(1_234_000_000L);
    assertThat(s.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isEqualTo(100_000_000L);
  }

  @Test
  void negativeOrMalformedPushbackStops() {
    for (String v : new String[] {"-1", "x", "01", "", "99999999999"}) {
      RetryState s = new RetryState(POLICY, 5, null, () -> 1.0);
      assertThat(s.onAttemptFailed(Status.UNAVAILABLE, pushback(v))).as(v).isEqualTo(RetryState.NO_RETRY);
    }
    assertThat(RetryState.pushbackMillis(pushback("0"))).isZero();
  }

  @Test
  void theChannelsCapAndTheCodesAndOkEndRetries() {
    RetryState capped = new RetryState(POLICY, 2, null, () -> 1.0);
    assertThat(capped.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isPositive();
    assertThat(capped.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isEqualTo(RetryState.NO_RETRY);
    RetryState s = new RetryState(POLICY, 5, null, () -> 1.0);
    assertThat(s.onAttemptFailed(Status.INTERNAL, new Metadata())).isEqualTo(RetryState.NO_RETRY);
    assertThat(s.onAttemptFailed(Status.OK, new Metadata())).isEqualTo(RetryState.NO_RETRY);
    assertThat(new RetryState(null, 5, null, () -> 1.0).onAttemptFailed(Status.UNAVAILABLE, new Metadata()))
        .isEqualTo(RetryState.NO_RETRY);
  }

  @Test
  void throttledFailuresCostATokenEvenWhenStopping() {
    RetryThrottler t = new RetryThrottler(new RetryThrottlingPolicy(3, 0.5));
    RetryState s = new RetryState(POLICY, 5, t, () -> 1.0);
    assertThat(s.onAttemptFailed(Status.INTERNAL, new Metadata())).isEqualTo(RetryState.NO_RETRY);
    assertThat(t.tokensInThousandths()).as("a non-retryable code costs nothing").isEqualTo(3000);
    assertThat(s.onAttemptFailed(Status.INTERNAL, pushback("-1"))).isEqualTo(RetryState.NO_RETRY);
    assertThat(t.tokensInThousandths()).as("pushback saying stop costs a token").isEqualTo(2000);
    assertThat(s.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isEqualTo(RetryState.NO_RETRY);
    assertThat(t.tokensInThousandths()).isEqualTo(1000);
  }
}
