package dev.grpcspring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.benchmarks.client.ClientResult;
import dev.grpcspring.benchmarks.client.LoadRun;
import dev.grpcspring.benchmarks.client.OursLoadClient;
import dev.grpcspring.benchmarks.server.OursBenchmarkServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every benchmark scenario, ours against ours in this JVM, for about two seconds: the harness
 * works end to end and no call fails. Not a measurement (the numbers are not looked at).
 */
class BenchmarkSmokeTest {
  private static final Duration WARMUP = Duration.ofMillis(300);
  private static final Duration MEASURED = Duration.ofSeconds(2);

  private static OursBenchmarkServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = OursBenchmarkServer.start("127.0.0.1", 0, false);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  @Timeout(60)
  void scenarioRunsWithoutFailedCalls(Scenario scenario) throws Exception {
    long servedBefore = server.responsesSent();

    ClientResult result =
        LoadRun.run(
            new OursLoadClient("127.0.0.1:" + server.port(), false),
            scenario,
            WARMUP,
            MEASURED,
            new LoadRun.PhaseListener() {
              @Override
              public void measureStarted() {}

              @Override
              public void measureEnded() {}
            });

    assertThat(result.firstFailure).as("first failed call").isNull();
    assertThat(result.failures).as("failed calls").isZero();
    assertThat(result.calls).as("calls completed in the measured window").isPositive();
    assertThat(result.p50Micros).isPositive();
    assertThat(result.p99Micros).isGreaterThanOrEqualTo(result.p50Micros);
    assertThat(server.responsesSent() - servedBefore).isGreaterThanOrEqualTo(result.calls);
  }
}
