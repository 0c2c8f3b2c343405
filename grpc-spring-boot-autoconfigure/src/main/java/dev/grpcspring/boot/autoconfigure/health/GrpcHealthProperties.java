package dev.grpcspring.boot.autoconfigure.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the standard gRPC health service ({@code grpc.health.v1.Health}), under
 * {@code grpc.server.health}.
 */
@ConfigurationProperties("grpc.server.health")
public class GrpcHealthProperties {

  /**
   * Whether to serve grpc.health.v1.Health. The server turns every status to NOT_SERVING when it
   * starts shutting down.
   */
  private boolean enabled = true;

  private final Actuator actuator = new Actuator();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Actuator getActuator() {
    return actuator;
  }

  /** How the overall gRPC health follows Spring Boot Actuator's health. */
  public static class Actuator {

    /**
     * Whether the overall gRPC health (the empty service name) follows an Actuator health group,
     * when Actuator's health endpoint is present. UP maps to SERVING, UNKNOWN to UNKNOWN, any
     * other status to NOT_SERVING.
     */
    private boolean enabled = true;

    /**
     * Name of the Actuator health group (management.endpoint.health.group.*) to follow, such as
     * "readiness". Actuator's overall health when unset.
     */
    private String group;

    /**
     * Time between two reads of the Actuator health. Changes reach Watch subscribers at most this
     * much later.
     */
    private Duration updateInterval = Duration.ofSeconds(5);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public Duration getUpdateInterval() {
      return updateInterval;
    }

    public void setUpdateInterval(Duration updateInterval) {
      this.updateInterval = updateInterval;
    }
  }
}
