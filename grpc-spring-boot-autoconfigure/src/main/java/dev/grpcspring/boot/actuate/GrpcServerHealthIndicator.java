package dev.grpcspring.boot.actuate;

import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.credentials.TlsServerCredentials;
import dev.grpcspring.server.Server;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the application's gRPC server ({@code grpcServer}): UP while it serves, with its port
 * and service count; OUT_OF_SERVICE once it drains for shutdown; DOWN when it is not running.
 */
public class GrpcServerHealthIndicator implements HealthIndicator {
  private final GrpcServerLifecycle lifecycle;

  public GrpcServerHealthIndicator(GrpcServerLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Health health() {
    Server server = lifecycle.getServer();
    if (server == null || !lifecycle.isRunning()) {
      return Health.down().withDetail("reason", "The gRPC server is not running").build();
    }
    Health.Builder b = server.isShutdown() ? Health.outOfService() : Health.up();
    b.withDetail("port", server.getPort())
        .withDetail("services", server.getServices().size())
        .withDetail("security", server.credentials().securityProtocol());
    if (server.credentials() instanceof TlsServerCredentials tls) {
      b.withDetail("clientAuth", tls.clientAuth().name());
    }
    return b.build();
  }
}
