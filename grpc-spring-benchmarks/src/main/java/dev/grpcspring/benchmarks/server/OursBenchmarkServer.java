package dev.grpcspring.benchmarks.server;

/** BenchmarkService on grpc-spring. */
public final class OursBenchmarkServer {
  private OursBenchmarkServer() {}

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static BenchmarkServer start(String host, int port, boolean directExecutor) {
    throw new UnsupportedOperationException(
        "--impl=ours needs grpc-spring's server (dev.grpcspring.server.Server) and generated "
            + "BenchmarkServiceGrpc, which this build does not have yet; use --impl=grpc-java");
  }
}
