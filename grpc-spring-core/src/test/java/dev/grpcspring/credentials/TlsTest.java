package dev.grpcspring.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.grpcspring.Attributes;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.SecurityLevel;
import dev.grpcspring.StatusException;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.channelz.SocketSecurity;
import dev.grpcspring.client.ClientCallOptions;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.client.Peer;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.ClientCalls;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our client and our server over TLS and mutual TLS, on the JDK's provider and on OpenSSL. */
@Timeout(120)
class TlsTest {
  static final TestPki pki = TestPki.INSTANCE;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Channelz channelz = new Channelz();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private Server server(TlsServerCredentials.Builder creds) throws IOException {
    return server(creds.build());
  }

  private Server server(ServerCredentials creds) throws IOException {
    Server s = Server.builder().port(0).credentials(creds).registerService(WhoService.definition())
        .channelz(channelz).build().start();
    closeables.add(s);
    return s;
  }

  private ClientConn dial(Server s, TransportCredentials creds, String authority) {
    DialOptions.Builder b = DialOptions.newBuilder().transportCredentials(creds).channelz(channelz);
    if (authority != null) {
      b.authority(authority);
    }
    ClientConn cc = ClientConn.dial("127.0.0.1:" + s.getPort(), b.build());
    closeables.add(cc);
    return cc;
  }

  static String who(ClientConn cc) {
    return who(cc, CallOptions.DEFAULT);
  }

  static String who(ClientConn cc, CallOptions options) {
    return ClientCalls.blockingUnaryCall(cc, WhoService.WHO,
        options.withDeadlineAfter(30, TimeUnit.SECONDS), StringValue.of("")).getValue();
  }

  static TlsServerCredentials.Builder serverCreds(TlsProvider provider) {
    return TlsServerCredentials.newBuilder(TestPki.keys(pki.server)).provider(provider);
  }

  static TlsChannelCredentials.Builder clientCreds(TlsProvider provider) {
    return TlsChannelCredentials.newBuilder().trustManager(pki.ca.getCertificate())
        .provider(provider);
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void tlsCallSeesPrivacyAndIntegrityOnBothSides(TlsProvider provider) throws Exception {
    Server s = server(serverCreds(provider));
    ClientConn cc = dial(s, clientCreds(provider).build(), null);
    AtomicReference<Peer> peer = new AtomicReference<>();
    String answer = who(cc, ClientCallOptions.withPeerCapture(CallOptions.DEFAULT, peer));

    assertThat(answer).startsWith("level=PRIVACY_AND_INTEGRITY protocol=TLSv1.3 client=none");
    assertThat(answer).endsWith("remote=true");
    Attributes attrs = peer.get().transportAttributes();
    assertThat(attrs.get(Attributes.SECURITY_LEVEL)).isEqualTo(SecurityLevel.PRIVACY_AND_INTEGRITY);
    SSLSession session = attrs.get(Attributes.SSL_SESSION);
    assertThat(((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber())
        .isEqualTo(pki.server.getCertificate().getSerialNumber());
    assertThat(peer.get().securityProtocol()).isEqualTo("tls");

    // channelz: both ends report TLS with the server's certificate and the provider in use.
    SocketSecurity clientSide = only(channelz.subchannels().get(0).sockets()).security();
    SocketSecurity serverSide = only(s.channelz().sockets()).security();
    for (SocketSecurity sec : List.of(clientSide, serverSide)) {
      assertThat(sec.cipherSuite()).startsWith("TLS_");
      assertThat(sec.protocol()).isEqualTo("TLSv1.3");
      assertThat(sec.provider()).isEqualTo(provider.name());
    }
    assertThat(clientSide.remoteCertificate()).isEqualTo(pki.server.getCertificate().getEncoded());
    assertThat(clientSide.localCertificate()).isNull();
    assertThat(serverSide.localCertificate()).isEqualTo(pki.server.getCertificate().getEncoded());
    assertThat(serverSide.remoteCertificate()).isNull();
  }

  @Test
  void autoPicksOpenSslWhenNettyTcnativeIsOnTheClassPath() {
    // The test class path has netty-tcnative-boringssl-static.
    assertThat(TlsProvider.AUTO.resolve()).isEqualTo(TlsProvider.OPENSSL);
    assertThat(TlsChannelCredentials.create().provider()).isEqualTo(TlsProvider.OPENSSL);
    assertThat(clientCreds(TlsProvider.JDK).build().provider()).isEqualTo(TlsProvider.JDK);
  }

  @Test
  void tls12WorksAndPlaintextSocketsHaveNoSecurity() throws Exception {
    Server s = server(serverCreds(TlsProvider.JDK).protocols("TLSv1.2"));
    assertThat(who(dial(s, clientCreds(TlsProvider.JDK).build(), null)))
        .contains("protocol=TLSv1.2");

    Server plain = server(ServerCredentials.insecure());
    ClientConn cc = dial(plain, TransportCredentials.insecure(), null);
    assertThat(who(cc)).startsWith("level=NONE protocol=none");
    for (SocketEntity socket : plain.channelz().sockets()) {
      assertThat(socket.security()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void mutualTlsRequired(TlsProvider provider) throws Exception {
    Server s = server(serverCreds(provider).clientAuth(ClientAuth.REQUIRE)
        .trustManager(pki.ca.getCertificate()));

    ClientConn withCert = dial(s, clientCreds(provider)
        .keyManager(TestPki.keys(pki.client)).build(), null);
    assertThat(who(withCert)).contains("client=CN=testclient");

    // TLS 1.3: the client's handshake is done before the server judges it; the rejection arrives
    // as an alert, and the first call fails UNAVAILABLE.
    StatusException none = catchThrowableOfType(StatusException.class,
        () -> who(dial(s, clientCreds(provider).build(), null)));
    assertThat(none.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(none.getStatus().getDescription()).contains("TLS with 127.0.0.1 at ")
        .containsIgnoringCase("certificate").doesNotContain("DecoderException");

    StatusException wrongCa = catchThrowableOfType(StatusException.class,
        () -> who(dial(s, clientCreds(provider)
            .keyManager(TestPki.keys(pki.untrustedClient)).build(), null)));
    assertThat(wrongCa.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);

    // The server keeps serving others.
    assertThat(who(withCert)).contains("client=CN=testclient");
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void mutualTlsOptionalAndNone(TlsProvider provider) throws Exception {
    Server optional = server(serverCreds(provider).clientAuth(ClientAuth.OPTIONAL)
        .trustManager(pki.ca.getCertificate()));
    assertThat(who(dial(optional, clientCreds(provider)
        .keyManager(TestPki.keys(pki.client)).build(), null)))
        .contains("client=CN=testclient");
    assertThat(who(dial(optional, clientCreds(provider).build(), null))).contains("client=none");
    // The server names the CAs it accepts; a client holding only a certificate of another CA
    // sends none and is anonymous.
    assertThat(who(dial(optional, clientCreds(provider)
        .keyManager(TestPki.keys(pki.untrustedClient)).build(), null))).contains("client=none");

    Server none = server(serverCreds(provider));
    assertThat(who(dial(none, clientCreds(provider)
        .keyManager(TestPki.keys(pki.client)).build(), null))).contains("client=none");
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void untrustedOrExpiredServerCertificateFailsUnavailableWithTheReason(TlsProvider provider)
      throws Exception {
    Server untrusted = server(TlsServerCredentials.newBuilder(
        TestPki.keys(pki.untrustedServer)).provider(provider));
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> who(dial(untrusted, clientCreds(provider).build(), null)));
    assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("TLS handshake with 127.0.0.1 at ");
    if (provider == TlsProvider.JDK) {
      assertThat(e.getStatus().getDescription()).contains("PKIX path building failed");
    }

    Server expired = server(TlsServerCredentials.newBuilder(
        TestPki.keys(pki.expiredServer)).provider(provider));
    StatusException ex = catchThrowableOfType(StatusException.class,
        () -> who(dial(expired, clientCreds(provider).build(), null)));
    assertThat(ex.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(ex.getStatus().getDescription()).contains("TLS handshake").containsIgnoringCase("expired");
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void theAuthorityIsTheNameTheCertificateMustMatch(TlsProvider provider) throws Exception {
    Server s = server(serverCreds(provider));
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> who(dial(s, clientCreds(provider).build(), "wrong.example:443")));
    assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("TLS handshake with wrong.example");

    // An authority the certificate names passes.
    assertThat(who(dial(s, clientCreds(provider).build(), "api.test.example")))
        .startsWith("level=PRIVACY_AND_INTEGRITY");
    // As does a server name override, which leaves :authority alone.
    assertThat(who(dial(s, clientCreds(provider).serverNameOverride("localhost").build(),
        "wrong.example"))).startsWith("level=PRIVACY_AND_INTEGRITY");
  }

  @Test
  void aPerCallAuthorityMustBeValidForTheServersCertificate() throws Exception {
    Server s = server(serverCreds(TlsProvider.JDK));
    ClientConn cc = dial(s, clientCreds(TlsProvider.JDK).build(), null);
    assertThat(who(cc, CallOptions.DEFAULT.withAuthority("api.test.example:443")))
        .startsWith("level=PRIVACY_AND_INTEGRITY");
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> who(cc, CallOptions.DEFAULT.withAuthority("evil.example")));
    assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .contains("'evil.example' is not valid for the server's certificate")
        .contains("localhost");
    // The connection is unharmed.
    assertThat(who(cc)).startsWith("level=PRIVACY_AND_INTEGRITY");
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void updatedKeyMaterialReachesNewConnectionsWhileOpenOnesKeepTheirs(TlsProvider provider)
      throws Exception {
    TlsServerCredentials serverCreds = serverCreds(provider).clientAuth(ClientAuth.REQUIRE)
        .trustManager(pki.ca.getCertificate()).build();
    Server s = server(serverCreds);
    TlsChannelCredentials clientCreds = clientCreds(provider)
        .keyManager(TestPki.keys(pki.client)).build();
    ClientConn before = dial(s, clientCreds, null);
    AtomicReference<Peer> peer = new AtomicReference<>();
    assertThat(who(before, ClientCallOptions.withPeerCapture(CallOptions.DEFAULT, peer)))
        .contains("client=CN=testclient");
    assertThat(serverSerial(peer)).isEqualTo(pki.server.getCertificate().getSerialNumber());

    X509Bundle renewedServer = TestPki.serverLeaf().buildIssuedBy(pki.ca);
    X509Bundle renewedClient = TestPki.clientLeaf("renewed").buildIssuedBy(pki.ca);
    serverCreds.updateKeyMaterial(TestPki.keys(renewedServer), null);
    clientCreds.updateKeyMaterial(TestPki.keys(renewedClient), null);

    ClientConn after = dial(s, clientCreds, null);
    assertThat(who(after, ClientCallOptions.withPeerCapture(CallOptions.DEFAULT, peer)))
        .contains("client=CN=renewed");
    assertThat(serverSerial(peer)).isEqualTo(renewedServer.getCertificate().getSerialNumber());
    // The connection made before keeps its certificates on both sides.
    assertThat(who(before, ClientCallOptions.withPeerCapture(CallOptions.DEFAULT, peer)))
        .contains("client=CN=testclient");
    assertThat(serverSerial(peer)).isEqualTo(pki.server.getCertificate().getSerialNumber());
  }

  @Test
  void keyMaterialWhoseKeyIsNotTheCertificatesIsRefusedAndTheOldMaterialStays() throws Exception {
    X509Bundle other = TestPki.serverLeaf().buildIssuedBy(pki.ca);
    // A key of one pair with the certificate of another: refused when built ...
    assertThatThrownBy(() -> TlsServerCredentials.newBuilder(other.getKeyPair().getPrivate(),
            pki.server.getCertificate()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong to its certificate CN=localhost");

    // ... and when swapped in, where the server keeps presenting its old certificate.
    TlsServerCredentials creds = serverCreds(TlsProvider.JDK).build();
    Server s = server(creds);
    assertThatThrownBy(() -> creds.updateKeyMaterial(TlsSettings.keyManagerFactory(
            other.getKeyPair().getPrivate(), pki.server.getCertificate()), null))
        .isInstanceOf(javax.net.ssl.SSLException.class)
        .hasMessageContaining("does not belong to its certificate");
    AtomicReference<Peer> peer = new AtomicReference<>();
    who(dial(s, clientCreds(TlsProvider.JDK).build(), null),
        ClientCallOptions.withPeerCapture(CallOptions.DEFAULT, peer));
    assertThat(serverSerial(peer)).isEqualTo(pki.server.getCertificate().getSerialNumber());
  }

  private static java.math.BigInteger serverSerial(AtomicReference<Peer> peer) throws Exception {
    SSLSession session = peer.get().transportAttributes().get(Attributes.SSL_SESSION);
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }

  @Test
  void perRpcCredentialsTravelOnlyOverTls() throws Exception {
    PerRpcCredentials token = info -> {
      Metadata md = new Metadata();
      md.put(WhoService.AUTH, "Bearer t-" + info.securityLevel());
      return CompletableFuture.completedFuture(md);
    };
    Server tls = server(serverCreds(TlsProvider.JDK));
    ClientConn secure = dial(tls, clientCreds(TlsProvider.JDK).build(), null);
    assertThat(who(secure, ClientCallOptions.withPerRpcCredentials(CallOptions.DEFAULT, token)))
        .contains("auth=Bearer t-PRIVACY_AND_INTEGRITY");

    Server plain = server(ServerCredentials.insecure());
    ClientConn insecure = dial(plain, TransportCredentials.insecure(), null);
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> who(insecure, ClientCallOptions.withPerRpcCredentials(CallOptions.DEFAULT, token)));
    assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("require transport security");

    PerRpcCredentials sidecar = new PerRpcCredentials() {
      @Override
      public CompletableFuture<Metadata> getRequestMetadata(RequestInfo info) {
        return token.getRequestMetadata(info).toCompletableFuture();
      }

      @Override
      public boolean requireTransportSecurity() {
        return false;
      }
    };
    assertThat(who(insecure, ClientCallOptions.withPerRpcCredentials(CallOptions.DEFAULT, sidecar)))
        .contains("auth=Bearer t-NONE");
    assertThatThrownBy(() -> ClientConn.dial("127.0.0.1:1", DialOptions.newBuilder().insecure()
        .perRpcCredentials(token).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("require transport security");
  }

  @Test
  void settingsThatHttp2ForbidsAreRefusedAtBuild() {
    assertThatThrownBy(() -> clientCreds(TlsProvider.JDK).protocols("TLSv1.1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLSv1.1");
    assertThatThrownBy(() -> serverCreds(TlsProvider.JDK)
        .ciphers(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS_RSA_WITH_AES_128_GCM_SHA256");
  }

  private static SocketEntity only(List<SocketEntity> sockets) {
    assertThat(sockets).hasSize(1);
    return sockets.get(0);
  }
}
