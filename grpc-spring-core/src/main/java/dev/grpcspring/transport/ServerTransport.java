package dev.grpcspring.transport;

import dev.grpcspring.Status;
import dev.grpcspring.channelz.SocketView;

/**
 * One accepted connection on the server (grpc-go's {@code ServerTransport}): an HTTP/2 connection
 * ({@link Http2Server}) or an in-process one. It reports its streams and its end to a
 * {@link ServerTransportListener}. Methods may be called from any thread.
 */
public interface ServerTransport {
  /**
   * Takes no new streams and tells the client so (GOAWAY or its in-process equivalent); closes
   * once the open streams end.
   */
  void gracefulShutdown();

  /** Cancels every stream with {@code status} and closes the connection. */
  void forceClose(Status status);

  /** The connection as channelz sees it. */
  SocketView channelzView();
}
