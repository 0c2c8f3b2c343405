package dev.grpcspring.credentials;

/**
 * How a server secures the connections it accepts (the server half of grpc-go's {@code
 * credentials.TransportCredentials}, grpc-java's {@code ServerCredentials}): {@link #insecure()}
 * or {@link TlsServerCredentials}.
 */
public interface ServerCredentials {
  /** Plaintext HTTP/2 ({@code h2c}): for loopback, sidecars and trusted networks only. */
  static ServerCredentials insecure() {
    return InsecureCredentials.INSTANCE;
  }

  /** The security protocol name, as grpc-go's {@code ProtocolInfo.SecurityProtocol}. */
  String securityProtocol();

  /** Whether connections are encrypted. */
  boolean isSecure();
}
