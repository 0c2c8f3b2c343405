package dev.grpcspring.boot.autoconfigure.server;

import org.jspecify.annotations.Nullable;

/**
 * An extra address the gRPC server listens on, under {@code grpc.server.listeners.<name>}, with its
 * own security. Every listener serves the same services as the main one ({@code grpc.server.port}
 * and {@code grpc.server.address}); only how connections are accepted and secured differs.
 *
 * <pre>
 * grpc.server.listeners.sidecar.address=unix:/run/app/grpc.sock
 * grpc.server.listeners.public.port=9443
 * grpc.server.listeners.public.ssl.bundle=grpc-server
 * grpc.server.listeners.public.ssl.client-auth=require
 * </pre>
 *
 * A listener's TLS is its own: it does not inherit {@code grpc.server.ssl.*}, and a listener
 * without {@code ssl.bundle} is plaintext.
 */
public class GrpcServerListenerProperties {

  /**
   * TCP port to listen on; 0 picks a free one. Required for a TCP listener, not allowed for a
   * Unix socket.
   */
  private @Nullable Integer port;

  /**
   * Address to bind to: a host name or IP literal for TCP (all interfaces when unset), or
   * "unix:/path/to.sock" for a Unix domain socket.
   */
  private @Nullable String address;

  private final GrpcServerProperties.Ssl ssl = new GrpcServerProperties.Ssl();

  public @Nullable Integer getPort() {
    return port;
  }

  public void setPort(@Nullable Integer port) {
    this.port = port;
  }

  public @Nullable String getAddress() {
    return address;
  }

  public void setAddress(@Nullable String address) {
    this.address = address;
  }

  public GrpcServerProperties.Ssl getSsl() {
    return ssl;
  }
}
