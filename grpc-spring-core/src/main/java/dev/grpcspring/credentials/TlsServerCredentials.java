package dev.grpcspring.credentials;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS for a server (grpc-java's {@code TlsServerCredentials}): its key and certificate chain,
 * whether clients must present a certificate ({@link ClientAuth}) and what it must chain to. ALPN
 * must select {@code h2} (clients that do not offer it are disconnected); TLS 1.3 and 1.2 only,
 * with the cipher suites HTTP/2 allows.
 *
 * <p>{@link #updateKeyMaterial} swaps key and trust material for connections accepted afterwards;
 * open connections keep what they were made with.
 */
public final class TlsServerCredentials implements ServerCredentials {
  private static final Logger log = Logger.getLogger(TlsServerCredentials.class.getName());

  private final TlsSettings settings;
  private final ClientAuth clientAuth;
  private final TlsMaterial material;

  private TlsServerCredentials(Builder b) throws SSLException {
    this.settings = new TlsSettings(b.provider, b.protocols, b.ciphers);
    this.clientAuth = b.clientAuth;
    this.material = new TlsMaterial(b.keyManager, b.trustManager, this::newContext);
  }

  /** A builder serving the key and certificate chain of {@code keyManager}. */
  public static Builder newBuilder(KeyManagerFactory keyManager) {
    return new Builder(keyManager);
  }

  /** A builder serving {@code key} with its certificate chain (leaf first). */
  public static Builder newBuilder(PrivateKey key, X509Certificate... chain) {
    return new Builder(TlsSettings.keyManagerFactory(key, chain));
  }

  private SslContext newContext(
      @Nullable KeyManagerFactory keys, @Nullable TrustManagerFactory trust)
      throws SSLException {
    // The builder refuses to build server credentials without a key manager.
    KeyManagerFactory k = Objects.requireNonNull(keys, "server key manager");
    ServerKeyCheck.check(k);
    SslContextBuilder b = SslContextBuilder.forServer(k).clientAuth(clientAuth.toNetty());
    if (trust != null) {
      b.trustManager(trust);
    }
    return settings.build(b);
  }

  /** The TLS context new connections are accepted with (replaced by {@link #updateKeyMaterial}). */
  public SslContext sslContext() {
    return material.context();
  }

  /** The TLS implementation in use ({@link TlsProvider#JDK} or {@link TlsProvider#OPENSSL}). */
  public TlsProvider provider() {
    return settings.provider.resolve();
  }

  /** Whether clients must, may or need not present a certificate. */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /**
   * Uses new key and/or trust material for connections accepted from now on; open connections keep
   * theirs. A null argument keeps the current material of that kind. If the new material cannot be
   * used, nothing changes.
   *
   * @throws SSLException when no TLS context can be built from the new material, or its private
   *     key does not belong to its certificate
   */
  public void updateKeyMaterial(
      @Nullable KeyManagerFactory keyManager, @Nullable TrustManagerFactory trustManager)
      throws SSLException {
    material.update(keyManager, trustManager);
    log.log(Level.FINE, "Server TLS material updated; new connections use it");
  }

  @Override
  public String securityProtocol() {
    return "tls";
  }

  @Override
  public boolean isSecure() {
    return true;
  }

  @Override
  public String toString() {
    return "TlsServerCredentials{provider=" + provider() + ", protocols=" + settings.protocols
        + ", clientAuth=" + clientAuth + "}";
  }

  /** Builds {@link TlsServerCredentials}. */
  public static final class Builder {
    private final KeyManagerFactory keyManager;
    private @Nullable TrustManagerFactory trustManager;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private TlsProvider provider = TlsProvider.AUTO;
    private List<String> protocols = TlsSettings.DEFAULT_PROTOCOLS;
    private @Nullable List<String> ciphers;

    private Builder(KeyManagerFactory keyManager) {
      this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
    }

    /** Whether clients must present a certificate; {@link ClientAuth#NONE} by default. */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /** What client certificates must chain to; the JDK's default trust store when not set. */
    public Builder trustManager(TrustManagerFactory trustManager) {
      this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
      return this;
    }

    /** Trusts client certificates issued by (or equal to) these certificates. */
    public Builder trustManager(X509Certificate... roots) {
      return trustManager(TlsSettings.trustManagerFactory(roots));
    }

    /** The TLS implementation; {@link TlsProvider#AUTO} by default. */
    public Builder provider(TlsProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The protocol versions, from {@code TLSv1.3} and {@code TLSv1.2} (both by default). */
    public Builder protocols(String... protocols) {
      this.protocols = Arrays.asList(protocols);
      return this;
    }

    /**
     * The cipher suites, in order of preference; each must be one HTTP/2 allows (Netty's {@code
     * Http2SecurityUtil.CIPHERS}). By default that whole list, less what the provider lacks.
     */
    public Builder ciphers(List<String> ciphers) {
      this.ciphers = List.copyOf(ciphers);
      return this;
    }

    /**
     * Builds the credentials and their first TLS context.
     *
     * @throws IllegalArgumentException when the settings or material cannot make a TLS context
     * @throws IllegalStateException when {@link TlsProvider#OPENSSL} is asked for but unavailable
     */
    public TlsServerCredentials build() {
      try {
        return new TlsServerCredentials(this);
      } catch (SSLException e) {
        throw new IllegalArgumentException("Cannot build server TLS credentials: "
            + e.getMessage(), e);
      }
    }
  }
}
