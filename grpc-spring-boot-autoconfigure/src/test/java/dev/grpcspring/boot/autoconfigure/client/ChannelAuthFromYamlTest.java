package dev.grpcspring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.grpcspring.Code;
import dev.grpcspring.StatusRuntimeException;
import dev.grpcspring.boot.client.BearerTokenSupplier;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCalls;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * {@code grpc.client.channel.<name>.auth.*} from YAML, seen by grpc-java servers (one over TLS,
 * one plaintext) that record the authorization header of every call.
 */
class ChannelAuthFromYamlTest {

  private static X509Bundle ca;
  private static Server tlsPeer;
  private static Server plainPeer;
  private static HttpServer tokenEndpoint;
  /** "tls|plain authorization-header" of every call the peers saw. */
  private static final List<String> seen = new CopyOnWriteArrayList<>();
  /** Tokens the peers refuse with UNAUTHENTICATED. */
  private static final Set<String> revoked = ConcurrentHashMap.newKeySet();
  /** Token requests by path. */
  private static final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  @BeforeAll
  static void startPeers() throws Exception {
    ca = new CertificateBuilder().subject("CN=test-ca").setIsCertificateAuthority(true)
        .buildSelfSigned();
    X509Bundle server = new CertificateBuilder().subject("CN=localhost")
        .addSanDnsName("localhost").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    tlsPeer = Grpc.newServerBuilderForPort(0, TlsServerCredentials.newBuilder()
            .keyManager(server.toKeyManagerFactory().getKeyManagers()).build())
        .addService(recording("tls")).build().start();
    plainPeer = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(recording("plain")).build().start();
    tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger issued = new AtomicInteger();
    tokenEndpoint.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath().substring(1);
      exchange.getRequestBody().readAllBytes();
      tokenRequests.add(path);
      // "short" tokens expire within the provider's one-minute skew, so each call renews.
      int expiresIn = path.equals("short") ? 30 : 3600;
      byte[] body = ("{\"access_token\":\"" + path + "-" + issued.incrementAndGet()
          + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    tokenEndpoint.start();
  }

  private static ServerServiceDefinition recording(String transport) {
    MethodDescriptor<byte[], byte[]> echo = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(EchoServiceGrpc.SERVICE_NAME)
        .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        })).build();
    return ServerInterceptors.intercept(service, new io.grpc.ServerInterceptor() {
      @Override
      public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(
          io.grpc.ServerCall<ReqT, RespT> call, Metadata headers,
          io.grpc.ServerCallHandler<ReqT, RespT> next) {
        String authorization = headers.get(AUTHORIZATION);
        seen.add(transport + " " + authorization);
        if (authorization != null && revoked.contains(authorization.substring("Bearer ".length()))) {
          call.close(io.grpc.Status.UNAUTHENTICATED.withDescription("token revoked"), new Metadata());
          return new io.grpc.ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    });
  }

  @AfterAll
  static void stopPeers() throws InterruptedException {
    tlsPeer.shutdownNow().awaitTermination();
    plainPeer.shutdownNow().awaitTermination();
    tokenEndpoint.stop(0);
  }

  @BeforeEach
  void clear() {
    seen.clear();
    tokenRequests.clear();
    revoked.clear();
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
            GrpcClientAutoConfiguration.class))
        .withInitializer(ctx -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("auth.yml", new ClassPathResource("auth.yml"))) {
              ctx.getEnvironment().getPropertySources().addLast(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .withPropertyValues(
            "spring.ssl.bundle.pem.client.truststore.certificate=" + ca.getCertificatePEM(),
            "grpc.client.channel.default.target=localhost:" + tlsPeer.getPort(),
            "grpc.client.channel.plain-refused.target=127.0.0.1:" + plainPeer.getPort(),
            "grpc.client.channel.plain-allowed.target=127.0.0.1:" + plainPeer.getPort())
        .withBean("rotatingTokens", BearerTokenSupplier.class, () -> {
          AtomicInteger n = new AtomicInteger();
          return () -> "rotating-" + n.incrementAndGet();
        })
        .withBean(ClientRegistrationRepository.class, () -> new InMemoryClientRegistrationRepository(
            registration("short"), registration("long")));
  }

  private static ClientRegistration registration(String id) {
    return ClientRegistration.withRegistrationId(id).clientId("grpc-client").clientSecret("pw")
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .tokenUri("http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/" + id).build();
  }

  private static void call(GrpcChannelFactory channels, String name) {
    EchoServiceGrpc.newBlockingStub(channels.getChannel(name, List.of()))
        .echo(EchoRequest.newBuilder().setText(name).build());
  }

  @Test
  void staticSuppliedAndBasicCredentialsGoOverTls() {
    runner().run(ctx -> {
      GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
      call(channels, "inherited");
      call(channels, "supplied");
      call(channels, "supplied");
      call(channels, "basic");
      assertThat(seen).containsExactly("tls Bearer default-token", "tls Bearer rotating-1",
          "tls Bearer rotating-2", "tls Basic " + Base64.getEncoder()
              .encodeToString("grpc-user:s3cret".getBytes(StandardCharsets.UTF_8)));
    });
  }

  @Test
  void credentialsGoOverPlaintextOnlyWhenTheChannelAllowsIt() {
    runner().run(ctx -> {
      GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
      assertThatThrownBy(() -> call(channels, "plain-refused"))
          .hasMessageContaining("grpc.client.channel.plain-refused.auth")
          .hasMessageContaining("allow-plaintext")
          .hasMessageNotContaining("default-token");
      assertThat(seen).isEmpty();
      call(channels, "plain-allowed");
      assertThat(seen).containsExactly("plain Bearer default-token");
    });
  }

  @Test
  void twoKindsOfCredentialsAreRejected() {
    runner().run(ctx -> assertThatThrownBy(() -> call(ctx.getBean(GrpcChannelFactory.class),
            "two-kinds"))
        .hasMessageContaining("grpc.client.channel.two-kinds.auth")
        .hasMessageContaining("only one kind"));
    assertThat(seen).isEmpty();
  }

  @Test
  void clientCredentialsGrantCachesTokensAndRenewsThemBeforeTheyExpire() {
    runner().run(ctx -> {
      GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
      call(channels, "oauth-long");
      call(channels, "oauth-long");
      call(channels, "oauth-short");
      call(channels, "oauth-short");
      // One token for both long calls; a new short token per call, as each expires within the
      // renewal margin.
      assertThat(tokenRequests).containsExactly("long", "short", "short");
      assertThat(seen).hasSize(4);
      assertThat(seen.get(0)).isEqualTo(seen.get(1)).startsWith("tls Bearer long-");
      assertThat(seen.get(2)).startsWith("tls Bearer short-");
      assertThat(seen.get(3)).startsWith("tls Bearer short-").isNotEqualTo(seen.get(2));
    });
  }

  @Test
  void aTokenTheServerRefusesIsDroppedSoTheNextCallFetchesANewOne() {
    runner().run(ctx -> {
      GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
      call(channels, "oauth-long");
      String first = seen.get(0).substring("tls Bearer ".length());
      revoked.add(first);

      assertThatThrownBy(() -> call(channels, "oauth-long"))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED));
      call(channels, "oauth-long");

      // The refused token went out once more, then a new one was fetched and accepted.
      assertThat(tokenRequests).containsExactly("long", "long");
      assertThat(seen).hasSize(3);
      assertThat(seen.get(1)).isEqualTo(seen.get(0));
      assertThat(seen.get(2)).startsWith("tls Bearer long-").isNotEqualTo(seen.get(0));
    });
  }
}
