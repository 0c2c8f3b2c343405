package dev.grpcspring.transport;

import dev.grpcspring.Attributes;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.SocketView;
import java.net.SocketAddress;

/**
 * A client's connection to one server address (grpc-go's {@code ClientTransport}): HTTP/2 over a
 * socket ({@link Http2Client}) or a direct hand-over in this process (the {@code
 * transport.inprocess} package). Its {@link ClientTransportListener} hears when it is ready, when it
 * stops taking streams and when it is gone; calls open streams on it with {@link #newStream}.
 */
public interface ClientTransport {
  /** Connects. Failures reach the listener (shutdown, then terminated); this never throws. */
  void start();

  /**
   * Makes a stream for one call, not yet sent: the caller writes the Request-Headers into {@link
   * ClientTransportStream#requestHeaders()} (the protocol layer's {@code CallHeader.writeTo} does),
   * then calls {@link ClientTransportStream#start()}. Never fails: a transport that can take no
   * more streams closes the stream at its start with UNAVAILABLE (marked refused or not sent, so
   * the call can be retried elsewhere). The listener hears nothing before {@code start} returns.
   *
   * @param maxReceiveMessageSize the receive limit for this stream's messages
   * @param clientSendsOneMessage whether the call sends one request (unary, server streaming), so
   *     the transport may hold its writes until the half-close
   */
  ClientTransportStream newStream(ClientStreamListener listener,
      int maxReceiveMessageSize, boolean clientSendsOneMessage);

  /** Takes no new streams; closes once the open ones finish. */
  void shutdown(Status status);

  /** Fails every open stream with {@code status} and closes now. */
  void shutdownNow(Status status);

  /** The remote and local addresses, once connected. */
  Attributes attributes();

  /** The connection as channelz sees it. */
  SocketView channelzView();

  /** Where this transport connects. */
  SocketAddress remoteAddress();

  /** The default {@code :authority} of this transport's streams. */
  String authority();
}
