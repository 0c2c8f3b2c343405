package dev.grpcspring.client;

import dev.grpcspring.Status;

/**
 * Hears about each attempt of one call (gRFC A6): the first, transparent retries, retries and
 * hedges. Set it with {@link ClientCallOptions#withAttemptListener}; the Spring starter's client
 * observation uses it to record each attempt. Methods run on the call path, possibly on an event
 * loop and under the call's lock: they must be quick, must not block and must not use the call.
 */
public interface CallAttemptListener {
  /** Why an attempt was made. */
  enum Kind {
    /** The call's first attempt. */
    FIRST,
    /** A transparent retry: the previous attempt never reached the server's application. */
    TRANSPARENT_RETRY,
    /** A retry under the method's {@code retryPolicy}. */
    RETRY,
    /** A hedge under the method's {@code hedgingPolicy}. */
    HEDGE
  }

  /**
   * An attempt was made.
   *
   * @param number the attempt's number in the call, from 1, counting every kind
   * @param kind why it was made
   * @param previousAttempts the {@code grpc-previous-rpc-attempts} it sends (0: none)
   */
  void attemptStarted(int number, Kind kind, int previousAttempts);

  /**
   * An attempt ended: with the status its stream or pick ended with, or CANCELLED when another
   * attempt won or the call ended first.
   *
   * @param number the attempt's number, as given to {@link #attemptStarted}
   * @param committed whether the call's result is this attempt's
   */
  void attemptEnded(int number, Status status, boolean committed);

  /**
   * A retry or hedge the policy allowed was not made because retry throttling refused it.
   */
  default void throttled() {}
}
