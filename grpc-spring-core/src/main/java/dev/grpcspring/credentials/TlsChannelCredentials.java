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
 * TLS for a channel (grpc-java's {@code TlsChannelCredentials}, grpc-go's {@code
 * credentials.NewTLS}). The server's certificate is checked against the trust roots (the JDK's
 * unless given) and against the host of the channel's authority, which is also sent as SNI; the
 * authority comes from the target or {@code DialOptions.Builder.authority}. ALPN must select
 * {@code h2}; TLS 1.3 and 1.2 only, with the cipher suites HTTP/2 allows. A key manager, when
 * given, answers servers that ask for a client certificate (mutual TLS).
 *
 * <p>{@link #updateKeyMaterial} swaps key and trust material for connections made afterwards;
 * open connections keep what they were made with.
 */
public final class TlsChannelCredentials implements TransportCredentials {
  private static final Logger log = Logger.getLogger(TlsChannelCredentials.class.getName());

  private final TlsSettings settings;
  private final @Nullable String serverNameOverride;
  private final TlsMaterial material;

  private TlsChannelCredentials(Builder b) throws SSLException {
    this.settings = new TlsSettings(b.provider, b.protocols, b.ciphers);
    this.serverNameOverride = b.serverNameOverride;
    this.material = new TlsMaterial(b.keyManager, b.trustManager, this::newContext);
  }

  /** TLS with the JDK's trust roots and no client certificate. */
  public static TlsChannelCredentials create() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  private SslContext newContext(
      @Nullable KeyManagerFactory keys, @Nullable TrustManagerFactory trust)
      throws SSLException {
    SslContextBuilder b = SslContextBuilder.forClient()
        // Netty 4.2 does this by default; said here because it is the point.
        .endpointIdentificationAlgorithm("HTTPS");
    if (trust != null) {
      b.trustManager(trust);
    }
    if (keys != null) {
      b.keyManager(keys);
    }
    return settings.build(b);
  }

  /** The TLS context new connections are made with (replaced by {@link #updateKeyMaterial}). */
  public SslContext sslContext() {
    return material.context();
  }

  /** The TLS implementation in use ({@link TlsProvider#JDK} or {@link TlsProvider#OPENSSL}). */
  public TlsProvider provider() {
    return settings.provider.resolve();
  }

  /**
   * The host name checked against the server's certificate and sent as SNI instead of the
   * authority's host, or null.
   */
  public @Nullable String serverNameOverride() {
    return serverNameOverride;
  }

  /**
   * Uses new key and/or trust material for connections made from now on; connections already open
   * keep theirs. A null argument keeps the current material of that kind. If the new material
   * cannot be used, nothing changes.
   *
   * @throws SSLException when no TLS context can be built from the new material
   */
  public void updateKeyMaterial(
      @Nullable KeyManagerFactory keyManager, @Nullable TrustManagerFactory trustManager)
      throws SSLException {
    material.update(keyManager, trustManager);
    log.log(Level.FINE, "Channel TLS material updated; new connections use it");
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
    return "TlsChannelCredentials{provider=" + provider() + ", protocols=" + settings.protocols
        + (material.keyManager() != null ? ", client certificate" : "")
        + (material.trustManager() != null ? ", own trust roots" : ", JDK trust roots")
        + (serverNameOverride != null ? ", serverNameOverride=" + serverNameOverride : "") + "}";
  }

  /** Builds {@link TlsChannelCredentials}. */
  public static final class Builder {
    private TlsProvider provider = TlsProvider.AUTO;
    private List<String> protocols = TlsSettings.DEFAULT_PROTOCOLS;
    private @Nullable List<String> ciphers;
    private @Nullable KeyManagerFactory keyManager;
    private @Nullable TrustManagerFactory trustManager;
    private @Nullable String serverNameOverride;

    private Builder() {}

    /** Trust roots for the server's certificate; the JDK's default trust store when not set. */
    public Builder trustManager(TrustManagerFactory trustManager) {
      this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
      return this;
    }

    /** Trusts exactly these certificates (CAs, or a self-signed server). */
    public Builder trustManager(X509Certificate... roots) {
      return trustManager(TlsSettings.trustManagerFactory(roots));
    }

    /** The client certificate for servers that ask for one (mutual TLS). */
    public Builder keyManager(KeyManagerFactory keyManager) {
      this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
      return this;
    }

    /** The client's private key and certificate chain (leaf first) for mutual TLS. */
    public Builder keyManager(PrivateKey key, X509Certificate... chain) {
      return keyManager(TlsSettings.keyManagerFactory(key, chain));
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
     * Checks the server's certificate against, and sends as SNI, this host name instead of the
     * authority's host (the {@code :authority} header does not change). For tests; in production
     * set the channel's authority instead.
     */
    public Builder serverNameOverride(String hostName) {
      this.serverNameOverride = Objects.requireNonNull(hostName, "hostName");
      return this;
    }

    /**
     * Builds the credentials and their first TLS context.
     *
     * @throws IllegalArgumentException when the settings or material cannot make a TLS context
     * @throws IllegalStateException when {@link TlsProvider#OPENSSL} is asked for but unavailable
     */
    public TlsChannelCredentials build() {
      try {
        return new TlsChannelCredentials(this);
      } catch (SSLException e) {
        throw new IllegalArgumentException("Cannot build client TLS credentials: "
            + e.getMessage(), e);
      }
    }
  }
}
