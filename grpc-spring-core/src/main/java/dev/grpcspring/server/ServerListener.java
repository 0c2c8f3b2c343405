package dev.grpcspring.server;

import dev.grpcspring.credentials.ServerCredentials;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One address a {@link Server} listens on and how the connections it accepts there are secured.
 * A server may have several (plaintext on a Unix socket for a sidecar and TLS on a TCP port, say),
 * all serving the same services. In-process addresses carry no TLS and report
 * {@link ServerCredentials#insecure()}.
 *
 * @param address the address as given to the builder, or, from {@link Server#getListeners()} after
 *     start, as bound (with the real port)
 * @param credentials how connections accepted on it are secured
 */
public record ServerListener(SocketAddress address, ServerCredentials credentials) {
  public ServerListener {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** Whether connections accepted here are encrypted. */
  public boolean isSecure() {
    return credentials.isSecure();
  }
}
