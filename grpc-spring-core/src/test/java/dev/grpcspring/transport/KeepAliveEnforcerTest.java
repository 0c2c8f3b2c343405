package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveEnforcerTest {
  private long now = 1_000;
  private final long minute = TimeUnit.MINUTES.toNanos(1);

  private KeepAliveEnforcer enforcer(boolean withoutCalls, long permitNanos) {
    return new KeepAliveEnforcer(withoutCalls, permitNanos, () -> now);
  }

  @Test
  void thirdStrikeIsOut() {
    KeepAliveEnforcer e = enforcer(false, 5 * minute);
    assertThat(e.pingAcceptable(true)).isTrue(); // first ping: valid
    assertThat(e.pingAcceptable(true)).isTrue(); // strike 1
    assertThat(e.pingAcceptable(true)).isTrue(); // strike 2
    assertThat(e.pingAcceptable(true)).isFalse(); // strike 3
  }

  @Test
  void pingsAtThePermittedIntervalAreValid() {
    KeepAliveEnforcer e = enforcer(false, minute);
    for (int i = 0; i < 10; i++) {
      assertThat(e.pingAcceptable(true)).isTrue();
      now += minute;
    }
  }

  @Test
  void withoutCallsTheIntervalIsTwoHoursUnlessPermitted() {
    KeepAliveEnforcer strict = enforcer(false, minute);
    KeepAliveEnforcer lenient = enforcer(true, minute);
    for (int i = 0; i < 3; i++) {
      assertThat(strict.pingAcceptable(false)).isTrue();
      assertThat(lenient.pingAcceptable(false)).isTrue();
      now += minute;
    }
    assertThat(strict.pingAcceptable(false)).isFalse();
    assertThat(lenient.pingAcceptable(false)).isTrue();
  }

  @Test
  void sendingHeadersOrDataForgivesStrikes() {
    KeepAliveEnforcer e = enforcer(false, 5 * minute);
    for (int round = 0; round < 5; round++) {
      assertThat(e.pingAcceptable(true)).isTrue();
      assertThat(e.pingAcceptable(true)).isTrue();
      assertThat(e.pingAcceptable(true)).isTrue();
      e.resetCounters();
    }
  }
}
