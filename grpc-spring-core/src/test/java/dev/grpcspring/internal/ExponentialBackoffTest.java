package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void defaultsAreTheSpecsNumbers() {
    ExponentialBackoff b = ExponentialBackoff.DEFAULT;
    assertThat(b.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.multiplier()).isEqualTo(1.6);
    assertThat(b.jitter()).isEqualTo(0.2);
    assertThat(b.maxBackoff()).isEqualTo(Duration.ofSeconds(120));
    assertThat(b.minConnectTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void withoutJitterTheSequenceGrowsBy16UpTo120Seconds() {
    // random() = 0.5 gives a jitter factor of exactly 1.
    ExponentialBackoff b = ExponentialBackoff.newBuilder().random(() -> 0.5).build();
    double expected = 1.0;
    assertThat(b.backoffNanos(0)).isEqualTo(SECOND);
    for (int retries = 1; retries < 20; retries++) {
      expected = Math.min(expected * 1.6, 120.0);
      assertThat(b.backoffNanos(retries) / (double) SECOND).isCloseTo(expected, within(1e-6));
    }
    assertThat(b.backoff(50)).isEqualTo(Duration.ofSeconds(120));
    assertThat(b.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void jitterStaysWithinTwentyPercentAndTheFirstWaitHasNone() {
    ExponentialBackoff low = ExponentialBackoff.newBuilder().random(() -> 0.0).build();
    ExponentialBackoff high = ExponentialBackoff.newBuilder().random(() -> 0.999999999).build();
    assertThat(low.backoffNanos(0)).isEqualTo(SECOND);
    assertThat(high.backoffNanos(0)).isEqualTo(SECOND);
    assertThat(low.backoffNanos(1) / (double) SECOND).isCloseTo(1.6 * 0.8, within(1e-6));
    assertThat(high.backoffNanos(1) / (double) SECOND).isCloseTo(1.6 * 1.2, within(1e-6));
    assertThat(low.backoffNanos(30) / (double) SECOND).isCloseTo(96.0, within(1e-6));
    assertThat(high.backoffNanos(30) / (double) SECOND).isCloseTo(144.0, within(1e-6));
    ExponentialBackoff real = ExponentialBackoff.DEFAULT;
    for (int i = 0; i < 1_000; i++) {
      double s = real.backoffNanos(3) / (double) SECOND;
      double base = 1.6 * 1.6 * 1.6;
      assertThat(s).isBetween(base * 0.8, base * 1.2);
    }
  }

  @Test
  void connectTimeoutIsAtLeastTheMinimum() {
    ExponentialBackoff b = ExponentialBackoff.DEFAULT;
    assertThat(b.connectTimeoutNanos(SECOND)).isEqualTo(20 * SECOND);
    assertThat(b.connectTimeoutNanos(100 * SECOND)).isEqualTo(100 * SECOND);
  }

  @Test
  void isConfigurableAndValidated() {
    ExponentialBackoff b = ExponentialBackoff.newBuilder()
        .initialBackoff(Duration.ofMillis(100))
        .multiplier(2)
        .jitter(0)
        .maxBackoff(Duration.ofMillis(350))
        .minConnectTimeout(Duration.ofMillis(50))
        .build();
    assertThat(b.backoff(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.backoff(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.backoff(2)).isEqualTo(Duration.ofMillis(350));
    assertThat(b.toBuilder().build().backoff(2)).isEqualTo(Duration.ofMillis(350));
    assertThatThrownBy(() -> ExponentialBackoff.newBuilder().multiplier(0.5))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> ExponentialBackoff.newBuilder().jitter(1.5)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> ExponentialBackoff.newBuilder().initialBackoff(Duration.ZERO))
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(
            () -> ExponentialBackoff.newBuilder()
                .initialBackoff(Duration.ofSeconds(5))
                .maxBackoff(Duration.ofSeconds(1))
                .build())
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> b.backoffNanos(-1)).hasMessageContaining("retries");
  }
}
