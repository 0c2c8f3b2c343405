package dev.grpcspring.interop;

import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsServerCredentials;
import dev.grpcspring.credentials.TransportCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * TLS for the interop tools, with the flags of grpc's interop clients and servers. By default the
 * server presents grpc's public test certificate {@code server1} (for {@code *.test.google.fr},
 * issued by grpc's test CA) and {@code --use_test_ca} trusts that CA, as grpc-java's tools do;
 * {@code --tls_cert_file}/{@code --tls_key_file} and {@code --ca_file} (grpc-go's flags) name PEM
 * files instead. The test files are not kept in this repository: the build copies
 * {@code certs/ca.pem}, {@code certs/server1.pem} and {@code certs/server1.key} from grpc-java's
 * {@code io.grpc:grpc-testing} artifact into the jar, and the tests read them from that artifact.
 */
final class InteropTls {
  /** Where grpc's test certificates are on the class path. */
  static final String CA = "certs/ca.pem";
  static final String SERVER_CERT = "certs/server1.pem";
  static final String SERVER_KEY = "certs/server1.key";

  private InteropTls() {}

  /**
   * Server credentials from PEM files, or grpc's {@code server1} when both are null.
   *
   * @throws IllegalArgumentException when only one file is named, or a file cannot be used
   */
  static TlsServerCredentials server(String certFile, String keyFile) {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("--tls_cert_file and --tls_key_file go together: name"
          + " both, or neither for grpc's test certificate server1");
    }
    byte[] cert = certFile == null ? resource(SERVER_CERT) : file(certFile, "tls_cert_file");
    byte[] key = keyFile == null ? resource(SERVER_KEY) : file(keyFile, "tls_key_file");
    List<X509Certificate> chain = certificates(cert, certFile == null ? SERVER_CERT : certFile);
    return TlsServerCredentials.newBuilder(privateKey(key, keyFile == null ? SERVER_KEY : keyFile),
        chain.toArray(new X509Certificate[0])).build();
  }

  /**
   * Channel credentials: the roots of {@code caFile}, or grpc's test CA with {@code useTestCa}, or
   * else the JDK's default trust.
   */
  static TransportCredentials client(boolean useTestCa, String caFile) {
    if (caFile != null) {
      return TlsChannelCredentials.newBuilder().trustManager(
          certificates(file(caFile, "ca_file"), caFile).toArray(new X509Certificate[0])).build();
    }
    if (useTestCa) {
      return TlsChannelCredentials.newBuilder().trustManager(
          certificates(resource(CA), CA).toArray(new X509Certificate[0])).build();
    }
    return TlsChannelCredentials.create();
  }

  private static byte[] resource(String name) {
    try (InputStream in = InteropTls.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("grpc's test certificate " + name + " is not on the "
            + "class path (the jar's build copies it from io.grpc:grpc-testing); name PEM files "
            + "with --tls_cert_file/--tls_key_file or --ca_file instead");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static byte[] file(String path, String flag) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new IllegalArgumentException("--" + flag + "=" + path + " cannot be read: " + e, e);
    }
  }

  private static List<X509Certificate> certificates(byte[] pem, String source) {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(source + " holds no PEM certificate");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(source + " is not a PEM certificate: " + e.getMessage(),
          e);
    }
  }

  /** An unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
  private static PrivateKey privateKey(byte[] pem, String source) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(source + " is not an unencrypted PKCS#8 PEM key (BEGIN "
          + "PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY");
    }
    byte[] der = Base64.getMimeDecoder().decode(
        text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    IllegalArgumentException failure = new IllegalArgumentException(
        source + " holds neither an RSA nor an EC private key");
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        failure.addSuppressed(e); // not this algorithm; each attempt's reason stays attached
      }
    }
    throw failure;
  }
}
