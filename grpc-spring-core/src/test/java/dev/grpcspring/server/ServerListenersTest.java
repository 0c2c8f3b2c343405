package dev.grpcspring.server;

import static dev.grpcspring.server.EchoService.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grpcspring.CallOptions;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.credentials.ServerCredentials;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsServerCredentials;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server on several addresses, each with its own credentials: plaintext on a Unix socket and
 * TLS on TCP, both serving the same services, called by grpc-java's client and ours.
 */
@Timeout(60)
class ServerListenersTest {
  private static X509Bundle ca;
  private static X509Bundle leaf;

  @TempDir
  Path dir;
  private final Channelz channelz = new Channelz();
  private Server server;

  @BeforeAll
  static void certificates() throws Exception {
    ca = new CertificateBuilder().subject("CN=listeners-ca").setIsCertificateAuthority(true)
        .buildSelfSigned();
    leaf = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
        .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
      assertThat(server.isTerminated()).isTrue();
    }
  }

  private Server start(Path sock) throws Exception {
    TlsServerCredentials tls = TlsServerCredentials.newBuilder(leaf.toKeyManagerFactory()).build();
    server = Server.builder()
        .address(UnixDomainSocketAddress.of(sock), ServerCredentials.insecure())
        .address(new InetSocketAddress("127.0.0.1", 0), tls)
        .registerService(new EchoService().definition())
        .channelz(channelz)
        .build().start();
    return server;
  }

  private static String javaCall(ManagedChannel ch, String text) throws Exception {
    try {
      return ClientCalls.blockingUnaryCall(ch, ServerInteropTest.UNARY,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), sv(text))
          .getValue();
    } finally {
      ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static ManagedChannel javaTls(int port) throws Exception {
    return Grpc.newChannelBuilder("127.0.0.1:" + port, io.grpc.TlsChannelCredentials.newBuilder()
        .trustManager(ca.toTrustManagerFactory().getTrustManagers()).build())
        .overrideAuthority("localhost").build();
  }

  @Test
  void grpcJavaCallsThePlaintextUnixSocketAndTheTlsPortOfOneServer() throws Exception {
    assumeTrue(io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.isAvailable(),
        "grpc-java reaches Unix sockets only through its shaded epoll transport");
    Path sock = dir.resolve("plain.sock");
    Server s = start(sock);

    assertThat(javaCall(Grpc.newChannelBuilder("unix:" + sock,
        InsecureChannelCredentials.create()).build(), "uds")).isEqualTo("echo:uds");
    assertThat(javaCall(javaTls(s.getPort()), "tls")).isEqualTo("echo:tls");

    // Each listener keeps its own security: plaintext is refused on the TLS port.
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> javaCall(Grpc.newChannelBuilder("127.0.0.1:" + s.getPort(),
            InsecureChannelCredentials.create()).build(), "plain-on-tls"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void ourClientCallsBothAndTheServerReportsEachListenerWithItsSecurity() throws Exception {
    Path sock = dir.resolve("ours.sock");
    Server s = start(sock);
    try (ClientConn plain = ClientConn.dial("unix:" + sock,
            DialOptions.newBuilder().insecure().build());
        ClientConn tls = ClientConn.dial("127.0.0.1:" + s.getPort(), DialOptions.newBuilder()
            .transportCredentials(TlsChannelCredentials.newBuilder()
                .trustManager(ca.getCertificate()).build()).build())) {
      assertThat(plain.invoke(EchoService.UNARY, sv("a"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:a");
      assertThat(tls.invoke(EchoService.UNARY, sv("b"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:b");

      List<ServerListener> listeners = s.getListeners();
      assertThat(listeners).hasSize(2);
      assertThat(listeners.get(0).address().toString()).contains("ours.sock");
      assertThat(listeners.get(0).isSecure()).isFalse();
      assertThat(((InetSocketAddress) listeners.get(1).address()).getPort()).isEqualTo(s.getPort());
      assertThat(listeners.get(1).credentials()).isInstanceOf(TlsServerCredentials.class);

      // channelz: one listen socket per address; the TLS connection has security, the other none.
      assertThat(s.channelz().listenSockets()).extracting(l -> String.valueOf(l.localAddress()))
          .hasSize(2).anySatisfy(a -> assertThat(a).contains("ours.sock"))
          .anySatisfy(a -> assertThat(a).endsWith(":" + s.getPort()));
      assertThat(s.channelz().sockets()).hasSize(2)
          .filteredOn(sock2 -> sock2.security() != null).hasSize(1);
    }
  }

  @Test
  void addressesWithoutCredentialsOfTheirOwnTakeTheDefaultAndInProcessRefusesTls()
      throws Exception {
    TlsServerCredentials tls = TlsServerCredentials.newBuilder(leaf.toKeyManagerFactory()).build();
    ServerBuilder b = Server.builder().credentials(tls)
        .address(new InetSocketAddress("127.0.0.1", 0))
        .address(new InetSocketAddress("127.0.0.1", 0), ServerCredentials.insecure())
        .inProcessName("listeners-" + System.nanoTime());
    assertThat(b.listeners()).extracting(ServerListener::isSecure)
        .containsExactly(true, false, false);
    SocketAddress name = new InProcessSocketAddress("x");
    assertThatThrownBy(() -> Server.builder().address(name, tls))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no TLS");
  }
}
