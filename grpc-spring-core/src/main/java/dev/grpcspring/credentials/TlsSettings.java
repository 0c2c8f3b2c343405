package dev.grpcspring.credentials;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * What client and server TLS credentials share: the provider, protocol versions and cipher suites
 * allowed for HTTP/2 (RFC 9113 §9.2), and ALPN offering only {@code h2}.
 */
final class TlsSettings {
  /** TLS 1.3 and 1.2: RFC 9113 §9.2 forbids anything older for HTTP/2. */
  static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

  /**
   * Offer only {@code h2}; the selection is checked after the handshake on both sides (a peer that
   * picks nothing is refused there, with a clear message, rather than by the TLS library).
   */
  static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_2);

  final TlsProvider provider;
  final List<String> protocols;
  /** Null for Netty's HTTP/2 list ({@link Http2SecurityUtil#CIPHERS}). */
  final @Nullable List<String> ciphers;

  TlsSettings(TlsProvider provider, List<String> protocols, @Nullable List<String> ciphers) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.protocols = checkProtocols(protocols);
    this.ciphers = ciphers == null ? null : checkCiphers(ciphers);
  }

  private static List<String> checkProtocols(List<String> protocols) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("No TLS protocol version given; use TLSv1.3 and/or TLSv1.2");
    }
    for (String p : protocols) {
      if (!ALLOWED_PROTOCOLS.contains(p)) {
        throw new IllegalArgumentException("TLS protocol " + p + " is not allowed for HTTP/2 "
            + "(RFC 9113 section 9.2 requires TLS 1.2 or later); use TLSv1.3 and/or TLSv1.2");
      }
    }
    return List.copyOf(new LinkedHashSet<>(protocols));
  }

  /** Only the AEAD, ephemeral-key suites HTTP/2 allows; the blocklisted ones are refused. */
  private static List<String> checkCiphers(List<String> ciphers) {
    if (ciphers.isEmpty()) {
      throw new IllegalArgumentException("No cipher suite given; leave the list unset for the "
          + "HTTP/2 defaults");
    }
    for (String c : ciphers) {
      if (!Http2SecurityUtil.CIPHERS.contains(c)) {
        throw new IllegalArgumentException("Cipher suite " + c + " is not allowed for HTTP/2 (RFC "
            + "9113 section 9.2.2 forbids non-AEAD and non-ephemeral suites); choose from "
            + Http2SecurityUtil.CIPHERS);
      }
    }
    return List.copyOf(new LinkedHashSet<>(ciphers));
  }

  /** Applies provider, protocols, ciphers and ALPN to {@code b} and builds the context. */
  SslContext build(SslContextBuilder b) throws SSLException {
    b.sslProvider(provider.nettyProvider())
        .protocols(protocols)
        .ciphers(ciphers != null ? ciphers : Http2SecurityUtil.CIPHERS,
            SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(ALPN);
    SslContext ctx = b.build();
    if (ctx.cipherSuites().isEmpty()) {
      throw new SSLException("None of the cipher suites " + (ciphers != null ? ciphers
          : Http2SecurityUtil.CIPHERS) + " is supported by the " + provider.resolve()
          + " TLS provider");
    }
    return ctx;
  }

  /** A key manager over one key and its certificate chain (leaf first). */
  static KeyManagerFactory keyManagerFactory(PrivateKey key, X509Certificate... chain) {
    Objects.requireNonNull(key, "key");
    if (chain.length == 0) {
      throw new IllegalArgumentException("A certificate chain is needed with the private key");
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = new char[0];
      ks.setKeyEntry("key", key, pw, chain);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      return kmf;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("Cannot use the private key and certificate chain: "
          + e.getMessage(), e);
    }
  }

  /** A trust manager that trusts exactly these certificates (CAs or self-signed peers). */
  static TrustManagerFactory trustManagerFactory(X509Certificate... roots) {
    if (roots.length == 0) {
      throw new IllegalArgumentException("At least one trusted certificate is needed");
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < roots.length; i++) {
        ks.setCertificateEntry("root-" + i, Objects.requireNonNull(roots[i], "certificate"));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("Cannot trust these certificates: " + e.getMessage(), e);
    }
  }
}
