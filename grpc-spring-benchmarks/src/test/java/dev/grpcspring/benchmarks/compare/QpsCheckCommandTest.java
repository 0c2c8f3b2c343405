package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QpsCheckCommandTest {
  @Test
  void readsQpsAndPercentilesFromAsyncClientOutput() {
    Map<String, Double> numbers = new LinkedHashMap<>();
    for (String line :
        new String[] {
          "Channels:                       1",
          "50%ile Latency (in micros):     345",
          "99.9%ile Latency (in micros):   15167",
          "QPS:                            1190"
        }) {
      QpsCheckCommand.parseLine(line, numbers);
    }

    assertThat(numbers).containsExactly(
        Map.entry("50", 345.0), Map.entry("99.9", 15167.0), Map.entry("QPS", 1190.0));
  }

  @Test
  void anUnreadableNumberFailsLoudly() {
    assertThatThrownBy(() -> QpsCheckCommand.parseLine("QPS: lots", new LinkedHashMap<>()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("QPS: lots");
  }
}
