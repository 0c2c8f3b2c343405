package dev.grpcspring.boot.autoconfigure.common;

import dev.grpcspring.credentials.TlsProvider;
import org.jspecify.annotations.Nullable;

/**
 * TLS for a connection this application opens: a channel's {@code ssl.*} and etcd's {@code
 * grpc.etcd.ssl.*}. Both check the server's certificate against an SSL bundle's trust store and
 * present the bundle's key store, if any, as the client certificate.
 */
public class ClientSslProperties {

  /**
   * Whether the connection uses TLS. When unset, TLS is on exactly when a bundle is named (for etcd,
   * also when the endpoints say https); true without a bundle means TLS with the JDK's default
   * trust store.
   */
  private @Nullable Boolean enabled;

  /**
   * Name of the SSL bundle (spring.ssl.bundle.pem|jks.<name>) whose trust store checks the server
   * and whose key store, if any, is the client certificate (mutual TLS). Reloads of the bundle
   * reach new connections without a restart.
   */
  private @Nullable String bundle;

  /**
   * TLS implementation: auto (OpenSSL when netty-tcnative-boringssl-static is on the class path,
   * else the JDK's), jdk or openssl.
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
