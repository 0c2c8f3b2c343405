package dev.grpcspring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.LocalGrpcServerPort;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerListener;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample with its {@code tls} profile, as the README runs it: a TLS listener beside the
 * plaintext port, with a CA and server certificate made here (nothing committed), and
 * {@code GET /hello} calling the sample through the greeter channel over that listener.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "grpc.server.port=0")
@ActiveProfiles("tls")
class SampleTlsTest {
  private static final MethodDescriptor<HelloRequest, HelloReply> SAY_HELLO =
      MethodDescriptor.<HelloRequest, HelloReply>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("grpcspring.sample.Greeter/SayHello")
          .setRequestMarshaller(ProtoUtils.marshaller(HelloRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(HelloReply.getDefaultInstance()))
          .build();

  private static final X509Bundle CA;
  private static final Path DIR;
  private static final int TLS_PORT;

  static {
    try {
      CA = new CertificateBuilder().subject("CN=sample-ca").setIsCertificateAuthority(true)
          .buildSelfSigned();
      X509Bundle server = new CertificateBuilder().subject("CN=localhost")
          .addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
          .addExtendedKeyUsageServerAuth().buildIssuedBy(CA);
      DIR = Files.createTempDirectory("sample-tls");
      Files.writeString(DIR.resolve("ca.crt"), CA.getCertificatePEM());
      Files.writeString(DIR.resolve("server.crt"), server.getCertificatePEM());
      Files.writeString(DIR.resolve("server.key"), server.getPrivateKeyPEM());
      // The greeter channel's target names the listener's configured port, so it is fixed here:
      // a port the system just handed out and that is free again.
      try (ServerSocket probe = new ServerSocket(0)) {
        TLS_PORT = probe.getLocalPort();
      }
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void tls(DynamicPropertyRegistry registry) {
    registry.add("sample.tls.dir", DIR::toString);
    registry.add("grpc.server.listeners.secure.port", () -> TLS_PORT);
  }

  @LocalGrpcServerPort
  int plaintextPort;

  @LocalServerPort
  int httpPort;

  @Autowired
  GrpcServerLifecycle lifecycle;

  @Test
  void theSampleCallsItselfOverItsTlsListener() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    assertThat(get(http, "/hello?name=Ada")).isEqualTo("Hello, Ada");

    Server server = lifecycle.getServer();
    List<ServerListener> listeners = server.getListeners();
    assertThat(listeners).extracting(ServerListener::isSecure).containsExactly(false, true);
    assertThat(((InetSocketAddress) listeners.get(1).address()).getPort()).isEqualTo(TLS_PORT);
    // The greeter channel's connection arrived on the TLS listener.
    assertThat(server.channelz().sockets()).extracting(SocketEntity::security)
        .anySatisfy(sec -> assertThat(sec).isNotNull());
    String grpc = get(http, "/actuator/grpc");
    assertThat(grpc).contains("\"security\":\"mixed\"").contains("\"name\":\"greeter\"")
        .contains("\"cipherSuite\":\"TLS_");
    assertThat(get(http, "/actuator/health")).contains("\"security\":\"mixed\"");
  }

  @Test
  void grpcJavaReachesBothListeners() throws Exception {
    assertThat(sayHello(Grpc.newChannelBuilder("localhost:" + TLS_PORT,
        TlsChannelCredentials.newBuilder()
            .trustManager(CA.toTrustManagerFactory().getTrustManagers()).build()).build()))
        .isEqualTo("Hello, tls");
    assertThat(plaintextPort).isNotEqualTo(TLS_PORT);
    assertThat(sayHello(Grpc.newChannelBuilder("localhost:" + plaintextPort,
        InsecureChannelCredentials.create()).build())).isEqualTo("Hello, tls");
  }

  private static String sayHello(ManagedChannel channel) throws InterruptedException {
    try {
      return ClientCalls.blockingUnaryCall(channel, SAY_HELLO,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          HelloRequest.newBuilder().setName("tls").build()).getMessage();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String get(HttpClient http, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
