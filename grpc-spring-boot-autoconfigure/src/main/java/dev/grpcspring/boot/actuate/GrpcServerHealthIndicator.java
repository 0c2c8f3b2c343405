package dev.grpcspring.boot.actuate;

import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.credentials.ServerCredentials;
import dev.grpcspring.credentials.TlsServerCredentials;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the application's gRPC server ({@code grpcServer}): UP while it serves, with its port,
 * service count, and each listener's address and security; OUT_OF_SERVICE once it drains for
 * shutdown; DOWN when it is not running.
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
    List<ServerListener> listeners = server.getListeners();
    b.withDetail("port", server.getPort())
        .withDetail("services", server.getServices().size())
        .withDetail("security", security(listeners, server.credentials()));
    if (server.credentials() instanceof TlsServerCredentials tls) {
      b.withDetail("clientAuth", tls.clientAuth().name());
    }
    b.withDetail("listeners", describe(listeners));
    return b.build();
  }

  /**
   * {@code tls} or {@code insecure} when every listener agrees, {@code mixed} when some are
   * secure and some are not.
   */
  static String security(List<ServerListener> listeners, ServerCredentials fallback) {
    Set<String> kinds = new LinkedHashSet<>();
    for (ServerListener l : listeners) {
      kinds.add(l.credentials().securityProtocol());
    }
    if (kinds.isEmpty()) {
      return fallback.securityProtocol();
    }
    return kinds.size() == 1 ? kinds.iterator().next() : "mixed";
  }

  /** Each listener as address, security and (for TLS) client authentication. */
  static List<Map<String, String>> describe(List<ServerListener> listeners) {
    List<Map<String, String>> out = new ArrayList<>();
    for (ServerListener l : listeners) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("address", String.valueOf(l.address()));
      m.put("security", l.credentials().securityProtocol());
      if (l.credentials() instanceof TlsServerCredentials tls) {
        m.put("clientAuth", tls.clientAuth().name());
      }
      out.add(m);
    }
    return out;
  }
}
