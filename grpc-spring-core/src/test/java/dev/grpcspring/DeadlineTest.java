package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  @Test
  void remainingAndExpiry() {
    Deadline d = Deadline.after(1, TimeUnit.HOURS);
    assertThat(d.isExpired()).isFalse();
    assertThat(d.timeRemaining(TimeUnit.MINUTES)).isBetween(59L, 60L);
    assertThat(Deadline.after(-1, TimeUnit.SECONDS).isExpired()).isTrue();
    assertThat(Deadline.after(-1, TimeUnit.SECONDS).timeRemaining(TimeUnit.MILLISECONDS)).isNegative();
  }

  @Test
  void orderingAndMinimum() {
    Deadline soon = Deadline.after(1, TimeUnit.SECONDS);
    Deadline later = soon.offset(1, TimeUnit.SECONDS);
    assertThat(soon.isBefore(later)).isTrue();
    assertThat(later.minimum(soon)).isSameAs(soon);
    assertThat(soon.compareTo(later)).isNegative();
  }

  @Test
  void hugeDurationsDoNotOverflow() {
    Deadline far = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(far.isExpired()).isFalse();
    assertThat(far.timeRemaining(TimeUnit.DAYS)).isGreaterThan(365L * 50);
    Deadline past = Deadline.after(Long.MIN_VALUE, TimeUnit.NANOSECONDS);
    assertThat(past.isExpired()).isTrue();
  }
}
