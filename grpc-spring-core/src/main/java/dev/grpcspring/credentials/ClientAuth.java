package dev.grpcspring.credentials;

/** Whether a TLS server asks clients for a certificate (grpc-java's {@code ClientAuth}). */
public enum ClientAuth {
  /** No certificate is asked for. */
  NONE,
  /** A certificate is asked for; one that is sent must verify, none means an anonymous client. */
  OPTIONAL,
  /** A client without a valid certificate gets no connection. */
  REQUIRE;

  io.netty.handler.ssl.ClientAuth toNetty() {
    return switch (this) {
      case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
      case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
      case REQUIRE -> io.netty.handler.ssl.ClientAuth.REQUIRE;
    };
  }
}
