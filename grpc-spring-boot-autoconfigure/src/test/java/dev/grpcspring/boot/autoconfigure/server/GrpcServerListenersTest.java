package dev.grpcspring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.actuate.GrpcEndpoint;
import dev.grpcspring.boot.actuate.GrpcServerHealthIndicator;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsServerCredentials;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerListener;
import dev.grpcspring.stub.StreamObserver;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code grpc.server.listeners.*} from YAML: one server on a plaintext TCP port, a plaintext Unix
 * socket and a TLS port, called by grpc-java's client and by ours; health and the
 * actuator endpoint say which listeners are secure; bad listener settings stop the start-up.
 */
@Timeout(120)
class GrpcServerListenersTest {
  private static final MethodDescriptor<EchoRequest, EchoResponse> JAVA_ECHO =
      MethodDescriptor.<EchoRequest, EchoResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
          .setRequestMarshaller(ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(EchoResponse.getDefaultInstance()))
          .build();

  private static X509Bundle ca;
  private static X509Bundle server;

  @TempDir
  Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    ca = new CertificateBuilder().subject("CN=test-ca").setIsCertificateAuthority(true)
        .buildSelfSigned();
    server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
        .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
            GrpcExceptionHandlingAutoConfiguration.class, GrpcServerAutoConfiguration.class,
            GrpcClientAutoConfiguration.class))
        .withUserConfiguration(Services.class)
        .withPropertyValues("test.listeners.dir=" + dir,
            "spring.ssl.bundle.pem.server.keystore.certificate=" + server.getCertificatePEM(),
            "spring.ssl.bundle.pem.server.keystore.private-key=" + server.getPrivateKeyPEM(),
            "spring.ssl.bundle.pem.server.truststore.certificate=" + ca.getCertificatePEM(),
            "spring.ssl.bundle.pem.client.truststore.certificate=" + ca.getCertificatePEM());
  }

  private ApplicationContextRunner fromYaml() {
    return runner().withInitializer(ctx -> {
      try {
        for (PropertySource<?> source : new YamlPropertySourceLoader()
            .load("listeners.yml", new ClassPathResource("listeners.yml"))) {
          ctx.getEnvironment().getPropertySources().addLast(source);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Test
  void oneServerOnAPlaintextPortAUnixSocketAndATlsPortFromYaml() {
    fromYaml().run(ctx -> {
      Server s = ctx.getBean(GrpcServerLifecycle.class).getServer();
      List<ServerListener> listeners = s.getListeners();
      assertThat(listeners).hasSize(3);
      int mainPort = ((InetSocketAddress) listeners.get(0).address()).getPort();
      int tlsPort = ((InetSocketAddress) listeners.get(2).address()).getPort();
      // local.grpc.server.port stays the main (first TCP) listener's.
      assertThat(ctx.getEnvironment().getProperty("local.grpc.server.port", Integer.class))
          .isEqualTo(mainPort).isEqualTo(s.getPort()).isNotEqualTo(tlsPort);
      assertThat(listeners).extracting(ServerListener::isSecure).containsExactly(false, false, true);
      assertThat(listeners.get(1).address().toString()).endsWith("sidecar.sock");
      assertThat(((TlsServerCredentials) listeners.get(2).credentials()).clientAuth().name())
          .isEqualTo("OPTIONAL");

      // grpc-java's client on each listener, with the security that listener asks for.
      assertThat(javaEcho(Grpc.newChannelBuilder("127.0.0.1:" + mainPort,
          InsecureChannelCredentials.create()).build(), "main")).isEqualTo("main");
      assertThat(javaEcho(Grpc.newChannelBuilder("127.0.0.1:" + tlsPort,
          io.grpc.TlsChannelCredentials.newBuilder()
              .trustManager(ca.toTrustManagerFactory().getTrustManagers()).build())
          .overrideAuthority("localhost").build(), "tls")).isEqualTo("tls");
      if (io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.isAvailable()) {
        assertThat(javaEcho(Grpc.newChannelBuilder("unix:" + dir.resolve("sidecar.sock"),
            InsecureChannelCredentials.create()).build(), "uds")).isEqualTo("uds");
      }
      // Our client on the socket and the TLS port.
      assertThat(ourEcho(ClientConn.dial("unix:" + dir.resolve("sidecar.sock"),
          DialOptions.newBuilder().insecure().build()), "ours-uds")).isEqualTo("ours-uds");
      assertThat(ourEcho(ClientConn.dial("127.0.0.1:" + tlsPort, DialOptions.newBuilder()
          .transportCredentials(TlsChannelCredentials.newBuilder()
              .trustManager(ca.getCertificate()).build()).build()), "ours-tls"))
          .isEqualTo("ours-tls");

      // Health and /actuator/grpc say which listeners are secure.
      Map<String, Object> health = new GrpcServerHealthIndicator(
          ctx.getBean(GrpcServerLifecycle.class)).health().getDetails();
      assertThat(health).containsEntry("security", "mixed").containsEntry("port", mainPort);
      @SuppressWarnings("unchecked")
      List<Map<String, String>> healthListeners = (List<Map<String, String>>) health.get("listeners");
      assertThat(healthListeners).hasSize(3)
          .anySatisfy(l -> assertThat(l).containsEntry("security", "tls")
              .containsEntry("clientAuth", "OPTIONAL")
              .containsEntry("address", listeners.get(2).address().toString()))
          .anySatisfy(l -> assertThat(l).containsEntry("security", "insecure")
              .hasEntrySatisfying("address", a -> assertThat(a).endsWith(".sock")));
      GrpcEndpoint.ServerDescriptor described = new GrpcEndpoint(Channelz.getDefault(),
          () -> ctx.getBean(GrpcServerLifecycle.class), () -> null).grpc().servers().stream()
          .filter(d -> d.port() != null).findFirst().orElseThrow();
      assertThat(described.security()).isEqualTo("mixed");
      assertThat(described.listenAddresses()).hasSize(3);
      assertThat(described.listeners()).extracting(m -> m.get("security"))
          .containsExactly("insecure", "insecure", "tls");
    });
  }

  @Test
  void aServerWithOnlyNamedListenersPublishesTheFirstTcpPort() {
    runner().withPropertyValues("grpc.server.port=-1",
        "grpc.server.listeners.uds.address=unix:" + dir.resolve("only.sock"),
        "grpc.server.listeners.tls.port=0", "grpc.server.listeners.tls.address=127.0.0.1",
        "grpc.server.listeners.tls.ssl.bundle=server").run(ctx -> {
          Server s = ctx.getBean(GrpcServerLifecycle.class).getServer();
          assertThat(s.getListeners()).extracting(ServerListener::isSecure)
              .containsExactly(false, true);
          assertThat(ctx.getEnvironment().getProperty("local.grpc.server.port", Integer.class))
              .isEqualTo(s.getPort())
              .isEqualTo(((InetSocketAddress) s.getListeners().get(1).address()).getPort());
        });
  }

  @Test
  void badListenerSettingsStopTheStartWithTheKeyToFix() {
    runner().withPropertyValues("grpc.server.port=0", "grpc.server.listeners.x.address=127.0.0.1")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.listeners.x.port")
            .hasMessageContaining("needs a port"));
    runner().withPropertyValues("grpc.server.port=0",
            "grpc.server.listeners.x.address=unix:" + dir.resolve("x.sock"),
            "grpc.server.listeners.x.port=1234")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.listeners.x.port")
            .hasMessageContaining("Unix socket listener has no port"));
    runner().withPropertyValues("grpc.server.port=0", "grpc.server.listeners.x.port=0",
            "grpc.server.listeners.x.ssl.client-auth=require")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.listeners.x.ssl.client-auth")
            .hasMessageContaining("grpc.server.listeners.x.ssl.bundle"));
    runner().withPropertyValues("grpc.server.port=0", "grpc.server.listeners.x.port=0",
            "grpc.server.listeners.x.ssl.bundle=nope")
        .run(ctx -> assertThat(ctx).getFailure().hasStackTraceContaining(
            "grpc.server.listeners.x.ssl.bundle names SSL bundle 'nope'"));
  }

  private static String javaEcho(ManagedChannel ch, String text) throws Exception {
    try {
      return ClientCalls.blockingUnaryCall(ch, JAVA_ECHO,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
          EchoRequest.newBuilder().setText(text).build()).getText();
    } finally {
      ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static String ourEcho(ClientConn cc, String text) {
    try (cc) {
      return EchoServiceGrpc.newBlockingStub(cc).withDeadlineAfter(30, TimeUnit.SECONDS)
          .echo(EchoRequest.newBuilder().setText(text).build()).getText();
    }
  }

  /** Echoes the request's text. */
  static final class Echo extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> out) {
      out.onNext(EchoResponse.newBuilder().setText(request.getText()).build());
      out.onCompleted();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {
    @Bean
    @GrpcService
    Echo echo() {
      return new Echo();
    }
  }
}
