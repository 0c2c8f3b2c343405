package dev.grpcspring.benchmarks.server;

/** A running BenchmarkService server, of either runtime. */
public interface BenchmarkServer extends AutoCloseable {
  /** The port it is bound to. */
  int port();

  /** Responses sent so far (unary responses plus streaming ping-pong responses). */
  long responsesSent();

  /**
   * Stops accepting calls, cancels the ones in flight, and waits (bounded) for it to end. If the
   * waiting thread is interrupted it stops waiting and keeps its interrupt flag set.
   */
  @Override
  void close();
}
