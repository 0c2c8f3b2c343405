package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static final ServerVariant OURS_POOLED = new ServerVariant(Impl.OURS, ExecutorMode.POOLED);
  private static final ServerVariant OURS_DIRECT = new ServerVariant(Impl.OURS, ExecutorMode.DIRECT);
  private static final ServerVariant GRPC_POOLED =
      new ServerVariant(Impl.GRPC_JAVA, ExecutorMode.POOLED);
  private static final ServerVariant GRPC_DIRECT =
      new ServerVariant(Impl.GRPC_JAVA, ExecutorMode.DIRECT);
  private static final ServerVariant VERTX = new ServerVariant(Impl.VERTX, ExecutorMode.EVENT_LOOP);

  private static RunResult run(int round, ServerVariant server, double qps, double p99) {
    RunResult r = new RunResult(round, Scenario.UNARY_THROUGHPUT, Driver.ASYNC_CLIENT, server);
    r.qps = qps;
    r.p99Micros = p99;
    return r;
  }

  @Test
  void reportsTheMedianOfPerRoundRatiosAndTheirSpread() {
    Comparison c = new Comparison();
    // Round ratios ours / grpc-java: 2.0, 0.5, 1.0 -> median 1.0, spread 0.50-2.00. The median of
    // the QPS values (ours 100, grpc-java 100) would hide that spread.
    c.add(run(0, OURS_POOLED, 200, 10));
    c.add(run(0, GRPC_POOLED, 100, 10));
    c.add(run(1, OURS_POOLED, 50, 30));
    c.add(run(1, GRPC_POOLED, 100, 10));
    c.add(run(2, OURS_POOLED, 100, 20));
    c.add(run(2, GRPC_POOLED, 100, 10));

    String table = c.render();

    assertThat(table).containsPattern(
        "\\| unary-throughput \\| grpc-java AsyncClient \\| ours \\(pooled\\) +\\| grpc-java"
            + " \\(pooled\\) +\\| 1\\.00 +\\| 0\\.50-2\\.00 +\\| p99 +\\| 2\\.00 +\\|"
            + " 1\\.00-3\\.00 +\\|");
    assertThat(table).containsPattern(
        "\\| unary-throughput \\| grpc-java AsyncClient \\| ours \\(pooled\\) +\\| 100 +\\|"
            + " 50.0-200 +\\|");
    assertThat(c.allOk()).isTrue();
  }

  @Test
  void comparesLikeExecutorModesEventLoopPeersWithBothAndOurPooledWithOurDirect() {
    assertThat(Comparison.comparable(OURS_POOLED, GRPC_POOLED)).isTrue();
    assertThat(Comparison.comparable(OURS_POOLED, GRPC_DIRECT)).isFalse();
    assertThat(Comparison.comparable(OURS_DIRECT, GRPC_DIRECT)).isTrue();
    assertThat(Comparison.comparable(OURS_POOLED, VERTX)).isTrue();
    assertThat(Comparison.comparable(OURS_DIRECT, VERTX)).isTrue();
    assertThat(Comparison.comparable(OURS_POOLED, OURS_DIRECT)).isTrue();
    assertThat(Comparison.comparable(OURS_DIRECT, OURS_POOLED)).isFalse();
  }

  @Test
  void aFailedRunIsLeftOutOfTheRatiosAndFailsTheComparison() {
    Comparison c = new Comparison();
    c.add(run(0, OURS_POOLED, 200, 10));
    c.add(RunResult.failed(0, Scenario.UNARY_THROUGHPUT, Driver.ASYNC_CLIENT, GRPC_POOLED,
        "server grpc-java (pooled) did not print its port within 60 s"));

    String table = c.render();

    assertThat(c.allOk()).isFalse();
    assertThat(table).contains("run failed: server grpc-java (pooled) did not print its port");
    assertThat(table).containsPattern("\\| ours \\(pooled\\) +\\| grpc-java \\(pooled\\) +\\| - +\\|");
  }

  @Test
  void thePlanRunsEveryServerOncePerDriverAndRotatesWhoGoesFirst() {
    List<ServerVariant> servers =
        CompareCommand.servers(List.of(Impl.GRPC_JAVA, Impl.VERTX),
            List.of(ExecutorMode.POOLED, ExecutorMode.DIRECT));
    assertThat(servers).containsExactly(OURS_POOLED, OURS_DIRECT, GRPC_POOLED, GRPC_DIRECT, VERTX);

    List<Driver> drivers = List.of(Driver.OURS, Driver.GRPC_JAVA, Driver.H2LOAD);
    List<RunResult> round0 = CompareCommand.plan(0, List.of(Scenario.UNARY_THROUGHPUT,
        Scenario.STREAMING_THROUGHPUT), servers, drivers);
    List<RunResult> round1 = CompareCommand.plan(1, List.of(Scenario.UNARY_THROUGHPUT,
        Scenario.STREAMING_THROUGHPUT), servers, drivers);

    // unary: ours 5 + grpc-java client 4 (ours and grpc-java only) + h2load 5; streaming: no
    // h2load.
    assertThat(round0).hasSize(5 + 4 + 5 + 5 + 4);
    assertThat(round0.get(0).server).isNotEqualTo(round1.get(0).server);
  }
}
