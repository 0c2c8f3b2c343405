package dev.grpcspring.benchmarks.server;

import dev.grpcspring.benchmarks.Impl;

/** Starts a BenchmarkService server of the chosen runtime. */
public final class BenchmarkServers {
  private BenchmarkServers() {}

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @param directExecutor run service code on the transport's threads instead of an executor
   */
  public static BenchmarkServer start(Impl impl, String host, int port, boolean directExecutor)
      throws Exception {
    switch (impl) {
      case GRPC_JAVA:
        return GrpcJavaBenchmarkServer.start(host, port, directExecutor);
      case OURS:
        return OursBenchmarkServer.start(host, port, directExecutor);
      default:
        throw new IllegalArgumentException("Unknown impl " + impl);
    }
  }
}
