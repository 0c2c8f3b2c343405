package dev.grpcspring.benchmarks.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientResultTest {
  @Test
  void resultLineRoundTripsIncludingAFailureWithSpaces() {
    ClientResult r =
        new ClientResult(1000, 2, 2.0, 10.5, 20, 30, 40, 50, 1234.5, "UnaryCall failed: a b=c");

    ClientResult back = ClientResult.parse(r.toLine());

    assertThat(back.calls).isEqualTo(1000);
    assertThat(back.failures).isEqualTo(2);
    assertThat(back.qps()).isEqualTo(500.0);
    assertThat(back.p50Micros).isEqualTo(10.5);
    assertThat(back.p999Micros).isEqualTo(40.0);
    assertThat(back.clientAllocBytesPerCall).isEqualTo(1234.5);
    assertThat(back.firstFailure).isEqualTo("UnaryCall failed: a b=c");
  }

  @Test
  void rejectsALineThatIsNotAResult() {
    assertThatThrownBy(() -> ClientResult.parse("QPS: 12"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
