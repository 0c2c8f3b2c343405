package dev.grpcspring.benchmarks;

import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsProvider;
import dev.grpcspring.credentials.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * TLS for a benchmark run ({@code --tls [--tls-provider=jdk|openssl] --tls-dir=DIR}): the same
 * provider on our side and grpc-java's, a server certificate for {@code localhost} and 127.0.0.1
 * issued by a CA made for the run ({@code ca.pem}, {@code server.pem}, {@code server.key} in the
 * directory: the server command makes them when missing, clients trust {@code ca.pem}).
 *
 * @param provider JDK's JSSE or OpenSSL (BoringSSL through netty-tcnative) on both sides
 * @param dir where the PEM files are
 */
public record BenchmarkTls(TlsProvider provider, Path dir) {
  private static final String CA = "ca.pem";
  private static final String CERT = "server.pem";
  private static final String KEY = "server.key";

  /** The TLS the options ask for, or null for plaintext. */
  public static BenchmarkTls fromOptions(Options options) {
    boolean tls = options.flag("tls");
    String provider = options.string("tls-provider", null);
    String dir = options.string("tls-dir", null);
    if (!tls) {
      if (provider != null || dir != null) {
        throw new IllegalArgumentException("--tls-provider and --tls-dir are for TLS: add --tls");
      }
      return null;
    }
    if (dir == null) {
      throw new IllegalArgumentException("--tls needs --tls-dir=DIR, where the server writes (or"
          + " finds) ca.pem, server.pem and server.key and clients read ca.pem");
    }
    return new BenchmarkTls(parseProvider(provider == null ? "jdk" : provider), Path.of(dir));
  }

  /** {@code jdk} or {@code openssl}, as {@code --tls-provider} takes them. */
  public static TlsProvider parseProvider(String value) {
    return switch (value) {
      case "jdk" -> TlsProvider.JDK;
      case "openssl" -> TlsProvider.OPENSSL;
      default -> throw new IllegalArgumentException(
          "--tls-provider is jdk or openssl, not '" + value + "'");
    };
  }

  /** The command-line flags that name this TLS for a child process. */
  public List<String> flags() {
    return List.of("--tls", "--tls-provider=" + provider.name().toLowerCase(java.util.Locale.ROOT),
        "--tls-dir=" + dir);
  }

  /** Writes a fresh CA and server certificate into {@link #dir} unless they are there. */
  public void ensureCertificates() throws Exception {
    if (Files.exists(dir.resolve(CA)) && Files.exists(dir.resolve(CERT))
        && Files.exists(dir.resolve(KEY))) {
      return;
    }
    X509Bundle ca = new CertificateBuilder().subject("CN=benchmark-ca")
        .setIsCertificateAuthority(true).buildSelfSigned();
    X509Bundle server = new CertificateBuilder().subject("CN=localhost")
        .addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
        .addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(KEY), server.getPrivateKeyPEM());
    Files.writeString(dir.resolve(CERT), server.getCertificatePEM());
    Files.writeString(dir.resolve(CA), ca.getCertificatePEM());
  }

  /** Our server's credentials. */
  public TlsServerCredentials oursServer() throws IOException {
    return TlsServerCredentials.newBuilder(privateKey(), certificate(CERT)).provider(provider)
        .build();
  }

  /** Our channels' credentials, trusting the run's CA. */
  public TlsChannelCredentials oursChannel() throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(certificate(CA)).provider(provider)
        .build();
  }

  /** grpc-java's server context (its GrpcSslContexts: HTTP/2 ciphers and ALPN). */
  public SslContext grpcJavaServer() throws IOException {
    return GrpcSslContexts.configure(GrpcSslContexts.forServer(dir.resolve(CERT).toFile(),
        dir.resolve(KEY).toFile()), grpcJavaProvider()).build();
  }

  /** grpc-java's client context, trusting the run's CA. */
  public SslContext grpcJavaChannel() throws IOException {
    return GrpcSslContexts.configure(GrpcSslContexts.forClient()
        .trustManager(dir.resolve(CA).toFile()), grpcJavaProvider()).build();
  }

  private SslProvider grpcJavaProvider() {
    return provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  private X509Certificate certificate(String name) throws IOException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name))));
    } catch (GeneralSecurityException e) {
      throw new IOException(dir.resolve(name) + " is not a PEM certificate", e);
    }
  }

  private PrivateKey privateKey() throws IOException {
    String pem = Files.readString(dir.resolve(KEY));
    String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body));
    IOException failure = new IOException(dir.resolve(KEY) + " holds no RSA or EC PKCS#8 key");
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        failure.addSuppressed(e); // not this algorithm; each attempt's reason stays attached
      }
    }
    throw failure;
  }
}
