package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerConnectionTimersTest {
  @Test
  void ageJitterStaysWithinTenPercentAndVaries() {
    long age = TimeUnit.SECONDS.toNanos(100);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long j = ServerConnectionTimers.jittered(age);
      assertThat(j).isBetween(age * 9 / 10, age * 11 / 10);
      min = Math.min(min, j);
      max = Math.max(max, j);
    }
    // Spread over most of the ±10% band, not one fixed offset.
    assertThat(max - min).isGreaterThan(age / 10);
  }
}
