package dev.grpcspring.boot.autoconfigure.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The etcd cluster behind {@code etcd:///<service>} channel targets and {@code
 * grpc.server.registration}, from {@code grpc.etcd.*}. Nothing etcd-related starts unless {@code
 * grpc.etcd.endpoints} is set.
 */
@ConfigurationProperties("grpc.etcd")
public class GrpcEtcdProperties {

  /**
   * etcd client endpoints, host:port or http://host:port (https is not supported yet); the
   * channel to etcd fails over between them.
   */
  private List<String> endpoints = new ArrayList<>();

  /** etcd user name, for clusters with authentication enabled; set together with the password. */
  private String username;

  /** etcd password of the user. */
  private String password;

  /**
   * Key prefix put before the service name: with "/services/", etcd:///orders watches the keys
   * under "/services/orders/". Empty for grpc-go's layout.
   */
  private String keyPrefix = "";

  /** Longest wait between attempts of a resolver to reach etcd again. */
  private Duration maxBackoff = Duration.ofSeconds(30);

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
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
}
