package dev.grpcspring.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.serviceconfig.HedgingPolicy;
import dev.grpcspring.serviceconfig.RetryThrottlingPolicy;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HedgingStateTest {
  private static final HedgingPolicy POLICY =
      new HedgingPolicy(4, Duration.ofMillis(50), Set.of(Code.UNAVAILABLE));

  private static Metadata pushback(String v) {
    Metadata md = new Metadata();
    md.putAscii("grpc-retry-pushback-ms", v);
    return md;
  }

  @Test
  void nonFatalSendsTheNextAtOnceUntilMaxAttemptsAndFatalEndsTheCall() {
    HedgingState h = new HedgingState(POLICY, 5, null);
    assertThat(h.delayNanos()).isEqualTo(50_000_000L);
    assertThat(h.onAttemptFailed(Status.INTERNAL, new Metadata())).isEqualTo(HedgingState.FATAL);
    assertThat(h.onAttemptFailed(Status.OK, new Metadata())).isEqualTo(HedgingState.FATAL);
    assertThat(h.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isZero();
    assertThat(h.hedgeSent()).isEqualTo(1);
    assertThat(h.hedgeSent()).isEqualTo(2);
    assertThat(h.exhausted()).isFalse();
    assertThat(h.hedgeSent()).isEqualTo(3);
    assertThat(h.exhausted()).isTrue();
    assertThat(h.onAttemptFailed(Status.UNAVAILABLE, new Metadata())).isEqualTo(HedgingState.NO_MORE);
  }

  @Test
  void theChannelsCapLimitsAttempts() {
    HedgingState h = new HedgingState(POLICY, 2, null);
    h.hedgeSent();
    assertThat(h.exhausted()).isTrue();
  }

  @Test
  void pushbackDelaysTheNextHedgeOrStopsHedging() {
    HedgingState h = new HedgingState(POLICY, 5, null);
    assertThat(h.onAttemptFailed(Status.UNAVAILABLE, pushback("250"))).isEqualTo(250_000_000L);
    assertThat(h.onAttemptFailed(Status.UNAVAILABLE, pushback("-1"))).isEqualTo(HedgingState.NO_MORE);
    assertThat(h.exhausted()).isTrue();
  }

  @Test
  void nonFatalFailuresSpendTheSharedThrottleAndFatalOnesDoNot() {
    RetryThrottler t = new RetryThrottler(new RetryThrottlingPolicy(4, 1));
    HedgingState h = new HedgingState(POLICY, 5, t);
    h.onAttemptFailed(Status.INTERNAL, new Metadata());
    assertThat(t.tokensInThousandths()).isEqualTo(4000);
    h.onAttemptFailed(Status.UNAVAILABLE, new Metadata());
    assertThat(h.throttled()).isFalse();
    h.onAttemptFailed(Status.UNAVAILABLE, new Metadata());
    assertThat(t.tokensInThousandths()).isEqualTo(2000);
    assertThat(h.throttled()).isTrue();
    t.onSuccess();
    assertThat(h.throttled()).isFalse();
  }
}
