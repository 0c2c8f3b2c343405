package dev.grpcspring.boot.autoconfigure.etcd;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Registration of this application's gRPC server in etcd, from {@code grpc.server.registration.*}
 * (needs {@code grpc.etcd.endpoints}).
 */
@ConfigurationProperties("grpc.server.registration")
public class GrpcServerRegistrationProperties {

  /**
   * Whether to register the server's listening addresses in etcd under a lease, and to deregister
   * them on shutdown before the server stops taking calls.
   */
  private boolean enabled;

  /**
   * Service name clients use in etcd:///service; defaults to spring.application.name.
   */
  private @Nullable String service;

  /** Time to live of the lease; the addresses disappear this long after the process dies. */
  private Duration ttl = Duration.ofSeconds(10);

  /**
   * Longest time the server's shutdown waits for etcd to confirm the deregistration; when etcd is
   * down or hung, the addresses go when the lease expires instead.
   */
  private Duration deregisterTimeout = Duration.ofSeconds(1);

  /**
   * Host to advertise when the server listens on a wildcard address; this host's address by
   * default.
   */
  private @Nullable String advertiseHost;

  /** Metadata stored with each address (grpc-go's endpoint Metadata), as a JSON object of strings. */
  private Map<String, String> metadata = new LinkedHashMap<>();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getService() {
    return service;
  }

  public void setService(@Nullable String service) {
    this.service = service;
  }

  public Duration getTtl() {
    return ttl;
  }

  public void setTtl(Duration ttl) {
    this.ttl = ttl;
  }

  public Duration getDeregisterTimeout() {
    return deregisterTimeout;
  }

  public void setDeregisterTimeout(Duration deregisterTimeout) {
    this.deregisterTimeout = deregisterTimeout;
  }

  public @Nullable String getAdvertiseHost() {
    return advertiseHost;
  }

  public void setAdvertiseHost(@Nullable String advertiseHost) {
    this.advertiseHost = advertiseHost;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata;
  }
}
