package dev.grpcspring.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.proxy.HttpConnectProxy;
import dev.grpcspring.server.Server;
import dev.grpcspring.testing.ConnectProxy;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS against grpc-java (grpc-netty-shaded, which runs BoringSSL through its bundled tcnative):
 * our client to its server and its client to our server, with and without client certificates;
 * and peers that do not negotiate {@code h2} or offer only forbidden cipher suites.
 */
@Timeout(120)
class TlsInteropTest {
  private static final TestPki pki = TestPki.INSTANCE;
  private static final io.grpc.MethodDescriptor<StringValue, StringValue> JAVA_WHO =
      io.grpc.MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Tls/Who")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  // ---- our client, grpc-java's server ----

  private int javaServer(io.grpc.TlsServerCredentials.ClientAuth clientAuth) throws Exception {
    io.grpc.TlsServerCredentials.Builder creds = io.grpc.TlsServerCredentials.newBuilder()
        .keyManager(TestPki.keys(pki.server).getKeyManagers())
        .clientAuth(clientAuth);
    if (clientAuth != io.grpc.TlsServerCredentials.ClientAuth.NONE) {
      creds.trustManager(pki.ca.toTrustManagerFactory().getTrustManagers());
    }
    io.grpc.Server server = Grpc.newServerBuilderForPort(0, creds.build())
        .addService(javaWhoService()).build().start();
    closeables.add(() -> {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    });
    return server.getPort();
  }

  private static ServerServiceDefinition javaWhoService() {
    io.grpc.ServerCallHandler<StringValue, StringValue> handler = (call, headers) -> {
      call.request(1);
      return new io.grpc.ServerCall.Listener<>() {
        @Override
        public void onHalfClose() {
          SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
          String client;
          try {
            client = ((X509Certificate) session.getPeerCertificates()[0])
                .getSubjectX500Principal().getName();
          } catch (SSLPeerUnverifiedException e) {
            client = "none";
          }
          call.sendHeaders(new io.grpc.Metadata());
          call.sendMessage(StringValue.of("level=" + call.getSecurityLevel() + " protocol="
              + session.getProtocol() + " client=" + client));
          call.close(Status.OK, new io.grpc.Metadata());
        }
      };
    };
    return ServerServiceDefinition.builder("test.Tls").addMethod(JAVA_WHO, handler).build();
  }

  private ClientConn dial(int port, TransportCredentials creds) {
    ClientConn cc = ClientConn.dial("127.0.0.1:" + port,
        DialOptions.newBuilder().transportCredentials(creds).authority("localhost").build());
    closeables.add(cc);
    return cc;
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void mutualTlsToGrpcJavaGoesThroughAnHttpConnectProxyTunnel(TlsProvider provider)
      throws Exception {
    int mtls = javaServer(io.grpc.TlsServerCredentials.ClientAuth.REQUIRE);
    ConnectProxy proxy = new ConnectProxy().map("tls.proxy-test", mtls);
    closeables.add(proxy);
    // The name is known only to the proxy; TLS starts once the tunnel is open and checks the
    // certificate against the authority, as on a direct connection.
    ClientConn cc = ClientConn.dial("tls.proxy-test:" + mtls, DialOptions.newBuilder()
        .transportCredentials(TlsTest.clientCreds(provider).keyManager(TestPki.keys(pki.client))
            .build())
        .authority("localhost").proxy(HttpConnectProxy.parse(proxy.address())).build());
    closeables.add(cc);
    assertThat(TlsTest.who(cc))
        .isEqualTo("level=PRIVACY_AND_INTEGRITY protocol=TLSv1.3 client=CN=testclient");
    assertThat(proxy.requestLines()).containsExactly("CONNECT tls.proxy-test:" + mtls + " HTTP/1.1");
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void ourClientCallsGrpcJavaOverTlsAndMutualTls(TlsProvider provider) throws Exception {
    int tls = javaServer(io.grpc.TlsServerCredentials.ClientAuth.NONE);
    assertThat(TlsTest.who(dial(tls, TlsTest.clientCreds(provider).build())))
        .isEqualTo("level=PRIVACY_AND_INTEGRITY protocol=TLSv1.3 client=none");

    int mtls = javaServer(io.grpc.TlsServerCredentials.ClientAuth.REQUIRE);
    assertThat(TlsTest.who(dial(mtls, TlsTest.clientCreds(provider)
        .keyManager(TestPki.keys(pki.client)).build())))
        .isEqualTo("level=PRIVACY_AND_INTEGRITY protocol=TLSv1.3 client=CN=testclient");
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> TlsTest.who(dial(mtls, TlsTest.clientCreds(provider).build())));
    assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);

    int optional = javaServer(io.grpc.TlsServerCredentials.ClientAuth.OPTIONAL);
    assertThat(TlsTest.who(dial(optional, TlsTest.clientCreds(provider).build())))
        .endsWith("client=none");
  }

  // ---- grpc-java's client, our server ----

  private Server ourServer(TlsServerCredentials creds) throws Exception {
    Server s = Server.builder().port(0).credentials(creds)
        .registerService(WhoService.definition()).build().start();
    closeables.add(s);
    return s;
  }

  private String javaWho(Server s, boolean withCert) throws Exception {
    io.grpc.TlsChannelCredentials.Builder creds = io.grpc.TlsChannelCredentials.newBuilder()
        .trustManager(pki.ca.toTrustManagerFactory().getTrustManagers());
    if (withCert) {
      creds.keyManager(TestPki.keys(pki.client).getKeyManagers());
    }
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + s.getPort(), creds.build())
        .overrideAuthority("localhost").build();
    try {
      return ClientCalls.blockingUnaryCall(ch, JAVA_WHO,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
          StringValue.of("")).getValue();
    } finally {
      ch.shutdownNow();
      ch.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void grpcJavaCallsOurServerOverTlsAndMutualTls(TlsProvider provider) throws Exception {
    Server none = ourServer(TlsTest.serverCreds(provider).build());
    assertThat(javaWho(none, false)).startsWith(
        "level=PRIVACY_AND_INTEGRITY protocol=TLSv1.3 client=none auth=none remote=true");

    Server require = ourServer(TlsTest.serverCreds(provider).clientAuth(ClientAuth.REQUIRE)
        .trustManager(pki.ca.getCertificate()).build());
    assertThat(javaWho(require, true)).contains("client=CN=testclient");
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> javaWho(require, false));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(javaWho(require, true)).contains("client=CN=testclient");

    Server optional = ourServer(TlsTest.serverCreds(provider).clientAuth(ClientAuth.OPTIONAL)
        .trustManager(pki.ca.getCertificate()).build());
    assertThat(javaWho(optional, true)).contains("client=CN=testclient");
    assertThat(javaWho(optional, false)).contains("client=none");
  }

  // ---- peers that are not gRPC over TLS ----

  @Test
  void ourClientRefusesAServerThatDoesNotSelectH2() throws Exception {
    // A TLS server with no ALPN at all, as a plain HTTPS/1.1 server might be.
    SslContext noAlpn = SslContextBuilder.forServer(TestPki.keys(pki.server)).build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    closeables.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
    Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(noAlpn.newHandler(ch.alloc()));
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    int port = ((InetSocketAddress) listener.localAddress()).getPort();

    for (TlsProvider provider : List.of(TlsProvider.JDK, TlsProvider.OPENSSL)) {
      StatusException e = catchThrowableOfType(StatusException.class,
          () -> TlsTest.who(dial(port, TlsTest.clientCreds(provider).build())));
      assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription())
          .contains("Failed ALPN negotiation with localhost")
          .contains("no protocol was selected");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
  void ourServerClosesAClientWithoutAlpnBeforeSendingAnything(TlsProvider provider)
      throws Exception {
    Server s = ourServer(TlsTest.serverCreds(provider).build());
    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(null, pki.ca.toTrustManagerFactory().getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) jdk.getSocketFactory().createSocket("127.0.0.1",
        s.getPort())) {
      socket.setSoTimeout(30_000);
      int first;
      try {
        socket.startHandshake(); // no ALPN offered
        InputStream in = socket.getInputStream();
        first = in.read();
      } catch (SSLException closedDuringHandshake) {
        first = -1;
      }
      assertThat(first).as("no byte (no SETTINGS) before the close").isEqualTo(-1);
    }
    // The server still serves gRPC clients.
    assertThat(javaWho(s, false)).startsWith("level=PRIVACY_AND_INTEGRITY");
  }

  @Test
  void aClientOfferingOnlyAForbiddenCipherSuiteIsRefused() throws Exception {
    Server s = ourServer(TlsTest.serverCreds(TlsProvider.JDK).build());
    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(null, pki.ca.toTrustManagerFactory().getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) jdk.getSocketFactory().createSocket("127.0.0.1",
        s.getPort())) {
      socket.setSoTimeout(30_000);
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"});
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
    }
  }
}
