package dev.grpcspring.benchmarks.client;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.Impl;

/** Makes the load client of the chosen runtime. */
public final class LoadClients {
  private LoadClients() {}

  /** A client of {@code impl} aimed at {@code target} ({@code host:port}). */
  public static LoadClient create(Impl impl, String target, boolean directExecutor) {
    return create(impl, target, directExecutor, null);
  }

  /** A client of {@code impl} aimed at {@code target}, over TLS when {@code tls} is not null. */
  public static LoadClient create(Impl impl, String target, boolean directExecutor,
      BenchmarkTls tls) {
    switch (impl) {
      case GRPC_JAVA:
        return new GrpcJavaLoadClient(target, directExecutor, tls);
      case OURS:
        return new OursLoadClient(target, directExecutor, tls);
      default:
        throw new IllegalArgumentException(
            "This module has load clients for ours and grpc-java only, not " + impl.flag()
                + "; drive other servers with compare's async-client or h2load drivers");
    }
  }
}
