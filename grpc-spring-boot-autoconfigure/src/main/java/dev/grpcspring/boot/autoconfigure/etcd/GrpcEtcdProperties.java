package dev.grpcspring.boot.autoconfigure.etcd;

import dev.grpcspring.credentials.TlsProvider;
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

  /** TLS to etcd; key material only from SSL bundles. */
  public static class Ssl {

    /**
     * Whether connections to etcd use TLS. When unset, TLS is on exactly when a bundle is named
     * (or the endpoints say https); true without a bundle means the JDK's default trust store.
     */
    private @Nullable Boolean enabled;

    /**
     * Name of the SSL bundle (spring.ssl.bundle.pem|jks.<name>) whose trust store checks the etcd
     * members' certificates and whose key store, if any, is the client certificate etcd's
     * --client-cert-auth asks for. Reloads of the bundle reach new connections.
     */
    private @Nullable String bundle;

    /**
     * TLS implementation: auto (OpenSSL when netty-tcnative-boringssl-static is on the class
     * path, else the JDK's), jdk or openssl.
     */
    private TlsProvider provider = TlsProvider.AUTO;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getBundle() {
      return bundle;
    }

    public void setBundle(@Nullable String bundle) {
      this.bundle = bundle;
    }

    public TlsProvider getProvider() {
      return provider;
    }

    public void setProvider(TlsProvider provider) {
      this.provider = provider;
    }
  }
}
