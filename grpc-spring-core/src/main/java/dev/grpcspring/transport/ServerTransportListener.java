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

  /** The connection has closed and every stream on it has ended. */
  void transportTerminated();
}
