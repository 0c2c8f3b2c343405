package dev.grpcspring.benchmarks.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.server.BenchmarkServer;
import dev.grpcspring.benchmarks.server.BenchmarkServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Idle connections and streams held against our server and grpc-java's, in this JVM. */
class IdleHttp2ConnectionsTest {
  @Test
  @Timeout(60)
  void holdsConnectionsAndStreamsOpenUntilTheServerGoesAway() throws Exception {
    for (Impl impl : new Impl[] {Impl.OURS, Impl.GRPC_JAVA}) {
      BenchmarkServer server =
          BenchmarkServers.start(impl, "127.0.0.1", 0, ExecutorMode.POOLED, 100);
      boolean closed = false;
      try (IdleHttp2Connections idle = new IdleHttp2Connections("127.0.0.1", server.port())) {
        assertThat(idle.open(5)).isEqualTo(5);
        // Two a connection: 7 streams take 4 of the 5 connections.
        assertThat(idle.openStreams(7, 2)).isEqualTo(7);
        assertThat(idle.openStreams(20, 2)).as("one stream of room left").isEqualTo(3);
        Thread.sleep(300);
        assertThat(idle.check()).as(impl.flag())
            .isEqualTo(new IdleHttp2Connections.Health(5, 0, 0, 0, 0));

        server.close();
        closed = true;
        Thread.sleep(500);
        IdleHttp2Connections.Health after = idle.check();
        assertThat(after.allOpen()).as(impl.flag() + " going away shows: " + after).isFalse();
      } finally {
        if (!closed) {
          server.close();
        }
      }
    }
  }
}
