package dev.grpcspring.credentials;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * Certificates made when the tests run (nothing committed): a CA with a server certificate for
 * {@code localhost} / 127.0.0.1 and a client certificate, a second CA nobody trusts with its own
 * server and client certificates, and an expired server certificate.
 */
final class TestPki {
  static final TestPki INSTANCE = create();

  final X509Bundle ca;
  final X509Bundle server;
  final X509Bundle client;
  final X509Bundle otherCa;
  final X509Bundle untrustedServer;
  final X509Bundle untrustedClient;
  final X509Bundle expiredServer;

  private TestPki(X509Bundle ca, X509Bundle server, X509Bundle client, X509Bundle otherCa,
      X509Bundle untrustedServer, X509Bundle untrustedClient, X509Bundle expiredServer) {
    this.ca = ca;
    this.server = server;
    this.client = client;
    this.otherCa = otherCa;
    this.untrustedServer = untrustedServer;
    this.untrustedClient = untrustedClient;
    this.expiredServer = expiredServer;
  }

  private static TestPki create() {
    try {
      X509Bundle ca = new CertificateBuilder().subject("CN=test-ca").setIsCertificateAuthority(true)
          .buildSelfSigned();
      X509Bundle otherCa = new CertificateBuilder().subject("CN=other-ca")
          .setIsCertificateAuthority(true).buildSelfSigned();
      Instant now = Instant.now();
      return new TestPki(ca, serverLeaf().buildIssuedBy(ca), clientLeaf("testclient").buildIssuedBy(ca),
          otherCa, serverLeaf().buildIssuedBy(otherCa), clientLeaf("stranger").buildIssuedBy(otherCa),
          serverLeaf().notBefore(now.minus(10, ChronoUnit.DAYS))
              .notAfter(now.minus(1, ChronoUnit.DAYS)).buildIssuedBy(ca));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot make test certificates", e);
    }
  }

  /** The bundle's key and chain as a key manager. */
  static KeyManagerFactory keys(X509Bundle bundle) {
    try {
      return bundle.toKeyManagerFactory();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static CertificateBuilder serverLeaf() {
    return new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
        .addSanDnsName("api.test.example").addSanIpAddress("127.0.0.1")
        .addExtendedKeyUsageServerAuth();
  }

  static CertificateBuilder clientLeaf(String name) {
    return new CertificateBuilder().subject("CN=" + name).addExtendedKeyUsageClientAuth();
  }
}
