package dev.grpcspring.channelz;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a transport shows channelz about its connection. Transports implement it, so that channelz
 * needs to know nothing about them; every method may be called from any thread.
 */
public interface SocketView {
  /** The connection's counters. */
  SocketStats stats();

  /** The local address, or null before the connection is up. */
  @Nullable SocketAddress localAddress();

  /** The peer's address, or null before the connection is up (and for listen sockets). */
  @Nullable SocketAddress remoteAddress();

  /**
   * The connection-level flow-control windows, read where the HTTP/2 state lives (the event
   * loop); completes with null when there are none (not connected, closed, or a listen socket).
   */
  CompletableFuture<FlowControlWindows> flowControlWindows();

  /**
   * The socket's options by their OS names ({@code SO_KEEPALIVE}, {@code TCP_NODELAY}, {@code
   * SO_LINGER}, {@code SO_RCVBUF}, ...) and values as text; empty when there is no socket.
   */
  default Map<String, String> socketOptions() {
    return Map.of();
  }

  /** The connection's TLS once its handshake is done; null for plaintext (and before). */
  default @Nullable SocketSecurity security() {
    return null;
  }
}
