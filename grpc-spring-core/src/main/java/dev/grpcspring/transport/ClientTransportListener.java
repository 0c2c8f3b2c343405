package dev.grpcspring.transport;

import dev.grpcspring.Status;

/**
 * Receives a client transport's life events, in this order: {@link #transportReady()} at most once,
 * {@link #transportShutdown} exactly once, {@link #transportTerminated()} exactly once. Methods run
 * on the connection's event loop (HTTP/2) or the offload executor (in-process); implementations
 * hand the work on.
 */
public interface ClientTransportListener {
  /** The server's first SETTINGS frame arrived: the connection is usable. */
  void transportReady();

  /**
   * The transport takes no new streams (GOAWAY received, connection failed or lost, or shutdown
   * asked for); streams already open may still finish.
   *
   * @param status why, UNAVAILABLE with the cause for failures
   */
  void transportShutdown(Status status);

  /** The connection is closed and every stream has ended. */
  void transportTerminated();
}
