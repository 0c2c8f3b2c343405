package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.client.ClientResult;
import dev.grpcspring.benchmarks.client.GrpcJavaLoadClient;
import dev.grpcspring.benchmarks.client.LoadClient;
import dev.grpcspring.benchmarks.client.LoadRun;
import dev.grpcspring.benchmarks.client.OursLoadClient;
import dev.grpcspring.benchmarks.server.BenchmarkServer;
import dev.grpcspring.benchmarks.server.BenchmarkServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server of the comparison, in every executor mode it has, started in this JVM and driven
 * for a moment by each driver: our client (unary and ping-pong), grpc-java's AsyncClient in its own
 * JVM, and h2load when it is installed. The drivers' numbers are parsed; none is judged: this
 * checks that each peer works, not how fast.
 */
class PeerSmokeTest {
  private static final Duration WARMUP = Duration.ofMillis(500);
  private static final Duration MEASURED = Duration.ofSeconds(1);

  static Stream<Arguments> servers() {
    List<Arguments> list = new ArrayList<>();
    for (Impl impl : Impl.values()) {
      for (ExecutorMode mode : impl.modes()) {
        list.add(Arguments.of(impl, mode));
      }
    }
    return list.stream();
  }

  private static BenchmarkServer start(Impl impl, ExecutorMode mode, Scenario scenario)
      throws Exception {
    return BenchmarkServers.start(impl, "127.0.0.1", 0, mode, scenario.payloadBytes());
  }

  private static ClientResult drive(LoadClient client, Scenario scenario) throws Exception {
    return LoadRun.run(client, scenario, WARMUP, MEASURED, new LoadRun.PhaseListener() {
      @Override
      public void measureStarted() {}

      @Override
      public void measureEnded() {}
    });
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("servers")
  @Timeout(60)
  void ourClientCompletesUnaryCallsAndPingPongs(Impl impl, ExecutorMode mode) throws Exception {
    for (Scenario scenario : List.of(Scenario.UNARY_LATENCY, Scenario.STREAMING_THROUGHPUT)) {
      try (BenchmarkServer server = start(impl, mode, scenario)) {
        ClientResult result =
            drive(new OursLoadClient("127.0.0.1:" + server.port(), false), scenario);

        assertThat(result.firstFailure).as(scenario.id() + ": first failed call").isNull();
        assertThat(result.failures).isZero();
        // Counted by the server over the whole run: a cold server on a busy machine may answer
        // nothing inside the short window, which says nothing about whether it works.
        assertThat(server.responsesSent()).as(scenario.id() + ": responses").isPositive();
        assertThat(server.responsesSent()).isGreaterThanOrEqualTo(result.calls);
      }
    }
  }

  /** compare --event-loop-threads: each runtime takes the count through its own API. */
  @ParameterizedTest
  @EnumSource(Impl.class)
  @Timeout(60)
  void everyServerServesOnTheIoThreadsAskedFor(Impl impl) throws Exception {
    Scenario scenario = Scenario.UNARY_LATENCY;
    try (BenchmarkServer server = BenchmarkServers.start(impl, "127.0.0.1", 0,
        impl.modes().get(0), scenario.payloadBytes(), null, 1)) {
      ClientResult result = drive(new OursLoadClient("127.0.0.1:" + server.port(), false), scenario);
      assertThat(result.firstFailure).isNull();
      assertThat(server.responsesSent()).isPositive();
    }
    assertThatThrownBy(() -> BenchmarkServers.start(impl, "127.0.0.1", 0, impl.modes().get(0),
        scenario.payloadBytes(), null, -1)).hasMessageContaining("eventLoopThreads");
  }

  @ParameterizedTest
  @EnumSource(value = Impl.class, names = {"OURS", "GRPC_JAVA"})
  @Timeout(60)
  void grpcJavaClientSetUpAsAsyncClientCompletesCalls(Impl impl) throws Exception {
    for (boolean direct : new boolean[] {false, true}) {
      Scenario scenario = Scenario.UNARY_LATENCY;
      try (BenchmarkServer server = start(impl, impl.mode(direct), scenario)) {
        ClientResult result =
            drive(new GrpcJavaLoadClient("127.0.0.1:" + server.port(), direct), scenario);

        assertThat(result.firstFailure).isNull();
        assertThat(result.failures).isZero();
        assertThat(server.responsesSent()).isPositive();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Impl.class)
  @Timeout(90)
  void grpcJavasAsyncClientReportsQpsAndPercentiles(Impl impl) throws Exception {
    Scenario scenario = Scenario.UNARY_LATENCY;
    try (BenchmarkServer server = start(impl, impl.modes().get(0), scenario)) {
      RunSettings settings = new RunSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
          List.of("-Xmx256m"), false, null, System.err);
      List<String> command = JavaCommand.of(settings.jvmArgs(), AsyncClientRun.ASYNC_CLIENT,
          AsyncClientRun.arguments(scenario, server.port(), settings));
      Map<String, Double> numbers = new LinkedHashMap<>();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      StringBuilder output = new StringBuilder();
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          output.append(line).append('\n');
          AsyncClientRun.parseLine(line, numbers);
        }
      } finally {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }

      assertThat(process.exitValue()).as(output.toString()).isZero();
      assertThat(numbers).as(output.toString()).containsKeys("QPS", "50", "99", "99.9");
      assertThat(numbers.get("QPS")).as(output.toString()).isPositive();
      assertThat(server.responsesSent()).isPositive();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Impl.class)
  @Timeout(60)
  void h2loadGetsGrpcAnswersWhenInstalled(Impl impl) throws Exception {
    Path h2load = H2loadRun.find();
    assumeTrue(h2load != null, "h2load is not installed (Debian: nghttp2-client); skipped");
    Scenario scenario = Scenario.UNARY_THROUGHPUT;
    Path body = Files.createTempFile("h2load-smoke-", ".bin");
    try (BenchmarkServer server = start(impl, impl.modes().get(0), scenario)) {
      Files.write(body, H2loadRun.requestBody(scenario));
      // A count, not a duration: a cold server may take seconds over its first calls.
      Process process = new ProcessBuilder(
          H2loadRun.command(h2load, scenario, server.port(), body, List.of("--requests=800")))
          .redirectErrorStream(true).start();
      H2loadRun.Parsed parsed = new H2loadRun.Parsed();
      StringBuilder output = new StringBuilder();
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          output.append(line).append('\n');
          parsed.accept(line);
        }
      } finally {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }

      assertThat(process.exitValue()).as(output.toString()).isZero();
      assertThat(parsed.qps).as(output.toString()).isPositive();
      assertThat(parsed.succeeded).as(output.toString()).isEqualTo(800);
      assertThat(parsed.failed).as(output.toString()).isZero();
      assertThat(parsed.meanMicros).as(output.toString()).isPositive();
      assertThat(server.responsesSent()).isGreaterThanOrEqualTo(parsed.succeeded);
    } finally {
      Files.deleteIfExists(body);
    }
  }
}
