package dev.grpcspring.benchmarks.server;

import dev.grpcspring.benchmarks.BenchmarkTls;
import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;

/** Starts a BenchmarkService server of the chosen runtime. */
public final class BenchmarkServers {
  /** The canned response size of the raw Netty ceiling when none is given: the 100-byte scenarios'. */
  public static final int DEFAULT_CANNED_RESPONSE_BYTES = 100;

  private BenchmarkServers() {}

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @param mode where service code runs; must be one of {@link Impl#modes()}
   * @param cannedResponseBytes payload size of the raw Netty ceiling's one answer (the gRPC
   *     servers answer the size each request asks for and ignore it)
   */
  public static BenchmarkServer start(
      Impl impl, String host, int port, ExecutorMode mode, int cannedResponseBytes)
      throws Exception {
    return start(impl, host, port, mode, cannedResponseBytes, null);
  }

  /**
   * As {@link #start(Impl, String, int, ExecutorMode, int)}, over TLS when {@code tls} is not
   * null (ours and grpc-java only).
   */
  public static BenchmarkServer start(
      Impl impl, String host, int port, ExecutorMode mode, int cannedResponseBytes,
      BenchmarkTls tls) throws Exception {
    return start(impl, host, port, mode, cannedResponseBytes, tls, 0);
  }

  /**
   * As {@link #start(Impl, String, int, ExecutorMode, int, BenchmarkTls)}, with
   * {@code eventLoopThreads} I/O threads serving connections (Vert.x: that many verticle
   * instances, each on its own event loop); 0 keeps each runtime's own choice.
   */
  public static BenchmarkServer start(
      Impl impl, String host, int port, ExecutorMode mode, int cannedResponseBytes,
      BenchmarkTls tls, int eventLoopThreads) throws Exception {
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException("eventLoopThreads must be 0 (the runtime's default) or"
          + " positive, not " + eventLoopThreads);
    }
    if (tls != null && impl != Impl.OURS && impl != Impl.GRPC_JAVA) {
      throw new IllegalArgumentException("TLS is set up for ours and grpc-java only, not "
          + impl.flag());
    }
    if (!impl.modes().contains(mode)) {
      throw new IllegalArgumentException(
          impl.flag() + " runs " + impl.modes() + ", not " + mode.flag());
    }
    switch (impl) {
      case GRPC_JAVA:
        return GrpcJavaBenchmarkServer.start(host, port, mode, tls, eventLoopThreads);
      case OURS:
        return OursBenchmarkServer.start(host, port, mode == ExecutorMode.DIRECT, tls,
            eventLoopThreads);
      case VERTX:
        return VertxBenchmarkServer.start(host, port, eventLoopThreads);
      case ARMERIA:
        return ArmeriaBenchmarkServer.start(host, port, mode, eventLoopThreads);
      case NETTY:
        return NettyCeilingServer.start(host, port, cannedResponseBytes, eventLoopThreads);
      default:
        throw new IllegalArgumentException("Unknown impl " + impl);
    }
  }
}
