package dev.grpcspring.transport;

import dev.grpcspring.Metadata;

/**
 * What a server connection tells the server. Called on the connection's event loop (HTTP/2) or on
 * the thread driving an in-process stream; must not block.
 */
public interface ServerTransportListener {
  /**
   * A valid request arrived. The server either sets a listener on the stream or closes it (for
   * example UNIMPLEMENTED for an unknown method). Must not block.
   *
   * @param fullMethodName {@code package.Service/Method}, from {@code :path}
   * @param headers the application's metadata (reserved headers removed)
   */
  void handleStream(ServerTransportStream stream, String fullMethodName, Metadata headers);

  /**
   * The event loop starts delivering what one read of the socket brought: stream events from here
   * to {@link #readComplete()} arrive together, so the listener may hold their hand-off to an
   * executor until then (one task per call per read). Not called by transports without reads
   * (in-process).
   */
  default void readStarted() {}

  /**
   * The read that {@link #readStarted()} announced is processed; the transport flushes its writes
   * after this returns. Also called when the connection closes in the middle of a read.
   */
  default void readComplete() {}

  /** The connection has closed and every stream on it has ended. */
  void transportTerminated();
}
