package dev.grpcspring.boot.autoconfigure.discovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of {@code discovery:///<serviceId>} channel targets ({@code grpc.client.discovery.*}). */
@ConfigurationProperties("grpc.client.discovery")
public class GrpcDiscoveryProperties {

  /**
   * How often each discovery:/// target asks the DiscoveryClient again without a heartbeat or a
   * connection failure; 0 turns this off. Registries that publish no HeartbeatEvent (such as the
   * simple one) show new instances only through this.
   */
  private Duration refreshInterval = Duration.ofSeconds(30);

  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  public void setRefreshInterval(Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }
}
