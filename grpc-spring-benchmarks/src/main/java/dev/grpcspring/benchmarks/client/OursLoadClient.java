package dev.grpcspring.benchmarks.client;

import dev.grpcspring.benchmarks.Scenario;

/** Load from grpc-spring's client. */
public final class OursLoadClient implements LoadClient {
  public OursLoadClient(String target, boolean directExecutor) {}

  @Override
  public void start(Scenario scenario, LoadMetrics metrics) {
    throw new UnsupportedOperationException(
        "--impl=ours needs grpc-spring's client (dev.grpcspring.client.ClientConn) and generated "
            + "BenchmarkServiceGrpc, which this build does not have yet; use --impl=grpc-java");
  }

  @Override
  public void close() {}
}
