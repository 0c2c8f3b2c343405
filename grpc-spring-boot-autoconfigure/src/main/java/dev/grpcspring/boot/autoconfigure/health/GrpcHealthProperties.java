package dev.grpcspring.boot.autoconfigure.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
     * "readiness". Actuator's overall health when unset. When set, the group alone decides which
     * contributors count, and "exclude" is not applied.
     */
    private @Nullable String group;

    /**
     * Names of top-level Actuator health contributors left out of the overall gRPC health when it
     * follows Actuator's overall health (no "group" set); the others are aggregated with
     * Actuator's own status order. "grpcChannels" is left out by default because it goes DOWN when
     * a downstream service is unreachable, and that should not make this server NOT_SERVING to its
     * own clients, load balancers and probes. Empty to follow Actuator's overall status exactly.
     */
    private List<String> exclude = new ArrayList<>(List.of("grpcChannels"));

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

    public @Nullable String getGroup() {
      return group;
    }

    public void setGroup(@Nullable String group) {
      this.group = group;
    }

    public List<String> getExclude() {
      return exclude;
    }

    public void setExclude(List<String> exclude) {
      this.exclude = exclude;
    }

    public Duration getUpdateInterval() {
      return updateInterval;
    }

    public void setUpdateInterval(Duration updateInterval) {
      this.updateInterval = updateInterval;
    }
  }
}
