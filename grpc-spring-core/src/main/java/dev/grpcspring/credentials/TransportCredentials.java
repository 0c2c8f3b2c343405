package dev.grpcspring.credentials;

import dev.grpcspring.SecurityLevel;

/**
 * How a channel secures its connections (grpc-go's {@code credentials.TransportCredentials}). Every
 * channel must be given one explicitly, so that a plaintext channel is always a visible choice:
 * {@link #insecure()} for plaintext HTTP/2 ({@code h2c}), {@link TlsChannelCredentials} for TLS.
 */
public interface TransportCredentials {
  /** Plaintext: no handshake, {@code :scheme http}, per-RPC credentials only if they allow it. */
  static TransportCredentials insecure() {
    return InsecureCredentials.INSTANCE;
  }

  /** The security protocol name, as grpc-go's {@code ProtocolInfo.SecurityProtocol}. */
  String securityProtocol();

  /** Whether connections are encrypted and the server authenticated ({@code :scheme https}). */
  boolean isSecure();

  /** The level the connections reach: privacy and integrity when secure, else none. */
  default SecurityLevel securityLevel() {
    return isSecure() ? SecurityLevel.PRIVACY_AND_INTEGRITY : SecurityLevel.NONE;
  }
}
