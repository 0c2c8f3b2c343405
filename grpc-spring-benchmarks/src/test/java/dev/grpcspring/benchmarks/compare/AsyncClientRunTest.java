package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.benchmarks.Scenario;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AsyncClientRunTest {
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
      AsyncClientRun.parseLine(line, numbers);
    }

    assertThat(numbers).containsExactly(
        Map.entry("50", 345.0), Map.entry("99.9", 15167.0), Map.entry("QPS", 1190.0));
  }

  @Test
  void anUnreadableNumberFailsLoudly() {
    assertThatThrownBy(() -> AsyncClientRun.parseLine("QPS: lots", new LinkedHashMap<>()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("QPS: lots");
  }

  @Test
  void passesTheScenarioAndTheClientModeAsGrpcJavasFlags() {
    RunSettings direct = new RunSettings(Duration.ofMillis(1500), Duration.ofSeconds(20),
        List.of(), true, null, System.err);

    List<String> args = AsyncClientRun.arguments(Scenario.STREAMING_THROUGHPUT, 4242, direct);

    assertThat(args).contains("--address=127.0.0.1:4242", "--channels=4",
        "--outstanding_rpcs=100", "--client_payload=100", "--server_payload=100",
        "--warmup_duration=1", "--duration=20", "--streaming_rpcs", "--directexecutor");
    if (AsyncClientRun.epollAvailable()) {
      assertThat(args).contains("--transport=netty_epoll");
    }
  }
}
