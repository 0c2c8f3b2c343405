package dev.grpcspring.boot.server;

import dev.grpcspring.server.Server;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the gRPC server begins a graceful shutdown: it no longer accepts calls, and those
 * in flight get the grace period.
 */
public class GrpcServerShutdownEvent extends ApplicationEvent {

  public GrpcServerShutdownEvent(Server server) {
    super(server);
  }

  public Server getServer() {
    return (Server) getSource();
  }
}
