package dev.grpcspring.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each transport of {@link InProcessLatencyBenchmark} sets up, answers calls and tears down. */
class InProcessLatencyBenchmarkTest {
  @ParameterizedTest
  @ValueSource(strings = {"ours-in-process", "ours-http2", "grpc-java-in-process", "grpc-java-http2"})
  @Timeout(60)
  void transportAnswersUnaryCalls(String transport) throws Exception {
    InProcessLatencyBenchmark b = new InProcessLatencyBenchmark();
    b.transport = transport;
    b.setUp();
    try {
      for (int i = 0; i < 100; i++) {
        assertThat(b.unary()).isNotNull();
      }
    } finally {
      b.tearDown();
    }
  }
}
