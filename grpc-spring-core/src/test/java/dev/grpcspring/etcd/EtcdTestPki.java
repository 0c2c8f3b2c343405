package dev.grpcspring.etcd;

import dev.grpcspring.credentials.TlsChannelCredentials;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import javax.net.ssl.SSLContext;

/**
 * Certificates for a TLS etcd made when the tests run (nothing committed): a CA, a certificate for
 * etcd on {@code localhost} / 127.0.0.1, a client certificate from the same CA, and a second CA
 * that signed neither.
 */
public final class EtcdTestPki {
  /** One set per test run: making keys takes a moment. */
  public static final EtcdTestPki INSTANCE = new EtcdTestPki();

  public final X509Bundle ca;
  public final X509Bundle server;
  public final X509Bundle client;
  public final X509Bundle otherCa;

  private EtcdTestPki() {
    try {
      ca = new CertificateBuilder().subject("CN=etcd-test-ca").setIsCertificateAuthority(true)
          .buildSelfSigned();
      otherCa = new CertificateBuilder().subject("CN=other-ca").setIsCertificateAuthority(true)
          .buildSelfSigned();
      server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
          .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
      client = new CertificateBuilder().subject("CN=etcd-client").addExtendedKeyUsageClientAuth()
          .buildIssuedBy(ca);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot make test certificates", e);
    }
  }

  /**
   * etcd's TLS settings: the server certificate, and with {@code clientCertAuth} client
   * certificates from {@link #ca} required.
   */
  public EtcdProcess.Tls etcdTls(boolean clientCertAuth) {
    try {
      SSLContext health = SSLContext.getInstance("TLS");
      health.init(clientCertAuth ? client.toKeyManagerFactory().getKeyManagers() : null,
          ca.toTrustManagerFactory().getTrustManagers(), null);
      return new EtcdProcess.Tls(server.getCertificatePathPEM(), server.getPrivateKeyPEM(),
          clientCertAuth ? ca.getCertificatePEM() : null, health);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot set up TLS for etcd", e);
    }
  }

  /** Channel credentials trusting {@link #ca}, with the client certificate when asked. */
  public TlsChannelCredentials credentials(boolean withClientCertificate) {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder()
        .trustManager(ca.getCertificate());
    if (withClientCertificate) {
      b.keyManager(client.getKeyPair().getPrivate(), client.getCertificate());
    }
    return b.build();
  }
}
