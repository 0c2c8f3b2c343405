package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.client.ClientResult;
import dev.grpcspring.benchmarks.client.LoadClients;
import dev.grpcspring.benchmarks.client.LoadRun;
import dev.grpcspring.benchmarks.server.BenchmarkServer;
import dev.grpcspring.benchmarks.server.BenchmarkServers;
import dev.grpcspring.credentials.TlsProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --tls} for a moment, as {@link PeerSmokeTest} does in plaintext: ours and grpc-java's
 * servers over TLS with each provider, driven by our client and grpc-java's through the
 * throughput and large-payload scenarios. Numbers are not judged, only that
 * every call completes.
 */
class TlsSmokeTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  @Timeout(120)
  void oursAndGrpcJavaServeAndDriveEachOtherOverTls(TlsProvider provider) throws Exception {
    BenchmarkTls tls = new BenchmarkTls(provider, dir);
    tls.ensureCertificates();
    for (Impl server : List.of(Impl.OURS, Impl.GRPC_JAVA)) {
      List<Scenario> scenarios = List.of(Scenario.UNARY_THROUGHPUT,
          Scenario.STREAMING_THROUGHPUT, Scenario.LARGE_PAYLOAD);
      for (Scenario scenario : scenarios) {
        try (BenchmarkServer s = BenchmarkServers.start(server, "127.0.0.1", 0,
            ExecutorMode.POOLED, scenario.payloadBytes(), tls)) {
          for (Impl client : List.of(Impl.OURS, Impl.GRPC_JAVA)) {
            ClientResult result = LoadRun.run(
                LoadClients.create(client, "127.0.0.1:" + s.port(), false, tls), scenario,
                Duration.ofMillis(300), Duration.ofMillis(700), new LoadRun.PhaseListener() {
                  @Override
                  public void measureStarted() {}

                  @Override
                  public void measureEnded() {}
                });
            String run = client.flag() + " -> " + server.flag() + " " + scenario.id();
            assertThat(result.firstFailure).as(run + ": first failed call").isNull();
            assertThat(result.failures).as(run).isZero();
          }
          assertThat(s.responsesSent()).as(server.flag() + " " + scenario.id()).isPositive();
        }
      }
    }
  }

  @Test
  void compareWithTlsRefusesPeersAndDriversWithoutTlsSetUp() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    assertThatThrownBy(() -> CompareCommand.run(Options.parse(new String[] {"compare", "--tls",
        "--peers=vertx", "--drivers=ours"}, 1), out, "grpc-java", "ours"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--peers=grpc-java");
    assertThatThrownBy(() -> CompareCommand.run(Options.parse(new String[] {"compare", "--tls",
        "--drivers=async-client"}, 1), out, "grpc-java", "ours"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--drivers=ours,grpc-java");
    assertThatThrownBy(() -> CompareCommand.run(Options.parse(new String[] {"compare",
        "--tls-provider=openssl"}, 1), out, "grpc-java", "ours"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add --tls");
  }
}
