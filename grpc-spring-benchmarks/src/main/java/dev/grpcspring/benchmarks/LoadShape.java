package dev.grpcspring.benchmarks;

/**
 * The closed-loop load a client keeps up: {@code channels x outstandingPerChannel} workers, each
 * with exactly one call (or one ping-pong message) in flight. A {@link Scenario} is a named shape;
 * the {@code scaling} sweep makes its own.
 *
 * @param name how reports name it (a scenario id, or a description of the sweep point)
 * @param channels channels, each its own connection
 * @param outstandingPerChannel calls (or ping-pong streams) kept in flight on each channel
 * @param payloadBytes size of the request payload and of the response payload asked for
 * @param streaming whether each worker ping-pongs on one StreamingCall instead of unary calls
 */
public record LoadShape(
    String name, int channels, int outstandingPerChannel, int payloadBytes, boolean streaming) {

  public LoadShape {
    if (channels < 1 || outstandingPerChannel < 1 || payloadBytes < 0) {
      throw new IllegalArgumentException("A load needs at least 1 channel and 1 call per channel"
          + " and a payload of 0 bytes or more, got " + channels + " x " + outstandingPerChannel
          + ", " + payloadBytes + " bytes");
    }
  }

  /** Calls (or streams) in flight in total. */
  public int concurrency() {
    return channels * outstandingPerChannel;
  }
}
