package dev.grpcspring.boot.server;

import dev.grpcspring.server.Server;
import org.springframework.context.ApplicationEvent;

/** Published once the gRPC server has stopped and closed its connections. */
public class GrpcServerStoppedEvent extends ApplicationEvent {

  private final boolean terminated;

  public GrpcServerStoppedEvent(Server server, boolean terminated) {
    super(server);
    this.terminated = terminated;
  }

  public Server getServer() {
    return (Server) getSource();
  }

  /** Whether every connection had closed when the event was published. */
  public boolean isTerminated() {
    return terminated;
  }
}
