package dev.grpcspring.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.serviceconfig.RetryThrottlingPolicy;
import org.junit.jupiter.api.Test;

class RetryThrottlerTest {
  @Test
  void tokenArithmeticIsInThousandthsAndStaysInTheBucket() {
    RetryThrottler t = new RetryThrottler(new RetryThrottlingPolicy(3, 0.5));
    assertThat(t.tokensInThousandths()).isEqualTo(3000);
    assertThat(t.onFailureThenAllowsRetry()).isTrue(); // 2 > 1.5
    assertThat(t.onFailureThenAllowsRetry()).isFalse(); // 1 <= 1.5
    t.onSuccess();
    assertThat(t.tokensInThousandths()).isEqualTo(1500);
    assertThat(t.allowsRetry()).as("exactly half is throttled").isFalse();
    t.onSuccess();
    assertThat(t.allowsRetry()).isTrue();
    for (int i = 0; i < 10; i++) {
      t.onSuccess();
    }
    assertThat(t.tokensInThousandths()).isEqualTo(3000);
    for (int i = 0; i < 10; i++) {
      t.onFailureThenAllowsRetry();
    }
    assertThat(t.tokensInThousandths()).isZero();
  }

  @Test
  void ratiosKeepThreeDecimalsExactly() {
    RetryThrottler t = new RetryThrottler(new RetryThrottlingPolicy(10, 0.001));
    t.onFailureThenAllowsRetry();
    for (int i = 0; i < 7; i++) {
      t.onSuccess();
    }
    assertThat(t.tokensInThousandths()).isEqualTo(9007);
  }
}
