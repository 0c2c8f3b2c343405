package dev.grpcspring.benchmarks.hedging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hedging scenario end to end, briefly: no call fails, and only the hedged run sends hedges
 * (a third of its calls meet the slow backend). Not a measurement: latencies are not compared.
 */
class HedgingBenchmarkTest {
  @Test
  @Timeout(120)
  void runsBothConfigurationsAndOnlyTheHedgedOneHedges() throws Exception {
    List<HedgingBenchmark.Result> results =
        HedgingBenchmark.measure(150, 30, Duration.ofMillis(200), Duration.ofMillis(5));
    assertThat(results).extracting(HedgingBenchmark.Result::name)
        .containsExactly("without hedging", "with hedging");
    assertThat(results).allSatisfy(r -> {
      assertThat(r.failures()).isZero();
      assertThat(r.calls()).isEqualTo(150);
    });
    assertThat(results.get(0).hedges()).isZero();
    // With a 200 ms slow backend and a 5 ms hedging delay, every call that meets it is hedged.
    assertThat(results.get(1).hedges()).isPositive();
  }
}
