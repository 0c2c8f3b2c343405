package dev.grpcspring.benchmarks.client;

import dev.grpcspring.benchmarks.LoadShape;

/**
 * Drives a BenchmarkService server in a closed loop with one runtime's client: {@code channels x
 * outstanding} workers, each keeping one call (or one ping-pong message) in flight until {@link
 * LoadMetrics#running()} turns false.
 */
public interface LoadClient extends AutoCloseable {
  /** Opens the load's channels and starts every worker; each reports to {@code metrics}. */
  void start(LoadShape load, LoadMetrics metrics) throws Exception;

  /**
   * Closes the channels (workers have stopped or been given up on by then). An interrupted caller
   * stops waiting for them and keeps its interrupt flag set.
   */
  @Override
  void close();
}
