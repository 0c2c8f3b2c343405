package dev.grpcspring.boot.autoconfigure.etcd;

import dev.grpcspring.boot.autoconfigure.common.ClientSslProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The etcd cluster behind {@code etcd:///<service>} channel targets and {@code
 * grpc.server.registration}, from {@code grpc.etcd.*}. Nothing etcd-related starts unless {@code
 * grpc.etcd.endpoints} is set.
 */
@ConfigurationProperties("grpc.etcd")
public class GrpcEtcdProperties {

  /**
   * etcd client endpoints, host:port, http://host:port or https://host:port (https needs
   * grpc.etcd.ssl, or uses the JDK's trust roots without it); the channel to etcd fails over
   * between them.
   */
  private List<String> endpoints = new ArrayList<>();

  /** etcd user name, for clusters with authentication enabled; set together with the password. */
  private @Nullable String username;

  /** etcd password of the user. */
  private @Nullable String password;

  /**
   * Key prefix put before the service name: with "/services/", etcd:///orders watches the keys
   * under "/services/orders/". Empty for grpc-go's layout.
   */
  private String keyPrefix = "";

  /** Longest wait between attempts of a resolver to reach etcd again. */
  private Duration maxBackoff = Duration.ofSeconds(30);

  /** TLS to etcd. */
  private final Ssl ssl = new Ssl();

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public @Nullable String getUsername() {
    return username;
  }

  public void setUsername(@Nullable String username) {
    this.username = username;
  }

  public @Nullable String getPassword() {
    return password;
  }

  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  public String getKeyPrefix() {
    return keyPrefix;
  }

  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  public void setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
  }

  public Ssl getSsl() {
    return ssl;
  }

  /** TLS to the etcd members; the settings are those every client connection shares. */
  public static class Ssl extends ClientSslProperties {}
}
