package dev.grpcspring.boot.server;

import dev.grpcspring.server.Server;
import org.springframework.context.ApplicationEvent;

/** Published once the gRPC server listens; {@link #getPort()} is the port it bound. */
public class GrpcServerStartedEvent extends ApplicationEvent {

  private final int port;

  public GrpcServerStartedEvent(Server server, int port) {
    super(server);
    this.port = port;
  }

  public Server getServer() {
    return (Server) getSource();
  }

  /** The port the server listens on ({@code -1} for a non-IP address). */
  public int getPort() {
    return port;
  }
}
