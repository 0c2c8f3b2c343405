package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcTimeoutTest {
  @Test
  void encodesInFinestUnitBelowTenToTheEighth() {
    assertThat(GrpcTimeout.encode(0)).isEqualTo("1n");
    assertThat(GrpcTimeout.encode(-5)).isEqualTo("1n");
    assertThat(GrpcTimeout.encode(1)).isEqualTo("1n");
    assertThat(GrpcTimeout.encode(99_999_999)).isEqualTo("99999999n");
    assertThat(GrpcTimeout.encode(100_000_000)).isEqualTo("100000u");
    assertThat(GrpcTimeout.encode(TimeUnit.SECONDS.toNanos(1))).isEqualTo("1000000u");
    assertThat(GrpcTimeout.encode(TimeUnit.SECONDS.toNanos(100))).isEqualTo("100000m");
    assertThat(GrpcTimeout.encode(TimeUnit.DAYS.toNanos(2))).isEqualTo("172800S");
    assertThat(GrpcTimeout.encode(TimeUnit.DAYS.toNanos(3650))).isEqualTo("5256000M");
    assertThat(GrpcTimeout.encode(Long.MAX_VALUE)).isEqualTo("2562047H");
    for (long n : new long[] {1, 999, 123_456_789_012L, Long.MAX_VALUE}) {
      String s = GrpcTimeout.encode(n);
      assertThat(s.length()).isLessThanOrEqualTo(9);
      assertThat(GrpcTimeout.decode(s)).isLessThanOrEqualTo(n).isPositive();
    }
  }

  @Test
  void decodesEveryUnit() {
    assertThat(GrpcTimeout.decode("1H")).isEqualTo(TimeUnit.HOURS.toNanos(1));
    assertThat(GrpcTimeout.decode("2M")).isEqualTo(TimeUnit.MINUTES.toNanos(2));
    assertThat(GrpcTimeout.decode("3S")).isEqualTo(TimeUnit.SECONDS.toNanos(3));
    assertThat(GrpcTimeout.decode("4m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4));
    assertThat(GrpcTimeout.decode("5u")).isEqualTo(5_000);
    assertThat(GrpcTimeout.decode("99999999n")).isEqualTo(99_999_999);
    assertThat(GrpcTimeout.decode("0S")).isZero();
  }

  @Test
  void rejectsBadValuesWithClearMessages() {
    assertThatThrownBy(() -> GrpcTimeout.decode("123456789S"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 8 digits");
    assertThatThrownBy(() -> GrpcTimeout.decode("S"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GrpcTimeout.decode("10x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown unit 'x'");
    assertThatThrownBy(() -> GrpcTimeout.decode("-1S"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-digit");
    assertThatThrownBy(() -> GrpcTimeout.decode("1 S"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GrpcTimeout.decode(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
