package dev.grpcspring.boot.autoconfigure.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcspring.Attributes;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.actuate.GrpcChannelsHealthContributor;
import dev.grpcspring.boot.actuate.GrpcEndpoint;
import dev.grpcspring.boot.actuate.GrpcServerHealthIndicator;
import dev.grpcspring.boot.autoconfigure.client.DefaultGrpcChannelFactory;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcExceptionHandlingAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.client.ClientCallOptions;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.client.Peer;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.StreamObserver;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TLS from Spring Boot SSL bundles ({@code spring.ssl.bundle.pem.*}, certificates made at test
 * time), over the wire: server and channel bundles, inheritance from the default channel, mutual
 * TLS, startup failures, and a bundle update reaching new connections only.
 */
@Timeout(120)
class GrpcSslBundlesTest {
  private static final X509Bundle CA;
  private static final X509Bundle SERVER;
  private static final X509Bundle CLIENT;

  static {
    try {
      CA = new CertificateBuilder().subject("CN=test-ca").setIsCertificateAuthority(true)
          .buildSelfSigned();
      SERVER = serverLeaf().buildIssuedBy(CA);
      CLIENT = new CertificateBuilder().subject("CN=testclient").addExtendedKeyUsageClientAuth()
          .buildIssuedBy(CA);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static CertificateBuilder serverLeaf() {
    return new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
        .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth();
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
          GrpcExceptionHandlingAutoConfiguration.class, GrpcServerAutoConfiguration.class,
          GrpcClientAutoConfiguration.class))
      .withUserConfiguration(Services.class)
      .withPropertyValues("grpc.server.port=0",
          "grpc.client.channel.default.target=127.0.0.1:${local.grpc.server.port}",
          "spring.ssl.bundle.pem.server.keystore.certificate=" + SERVER.getCertificatePEM(),
          "spring.ssl.bundle.pem.server.keystore.private-key=" + SERVER.getPrivateKeyPEM(),
          "spring.ssl.bundle.pem.server.truststore.certificate=" + CA.getCertificatePEM(),
          "spring.ssl.bundle.pem.client.truststore.certificate=" + CA.getCertificatePEM(),
          "spring.ssl.bundle.pem.mtls.keystore.certificate=" + CLIENT.getCertificatePEM(),
          "spring.ssl.bundle.pem.mtls.keystore.private-key=" + CLIENT.getPrivateKeyPEM(),
          "spring.ssl.bundle.pem.mtls.truststore.certificate=" + CA.getCertificatePEM());

  /** Answers with what the server saw of the connection. */
  static final class Who extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> out) {
      out.onNext(EchoResponse.newBuilder().setText(SEEN.get()).build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(EchoRequest value) {
          out.onNext(EchoResponse.newBuilder().setText("re:" + value.getText()).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  static final ThreadLocal<String> SEEN = new ThreadLocal<>();

  @Configuration(proxyBeanMethods = false)
  static class Services {
    @Bean
    @GrpcService
    Who who() {
      return new Who();
    }

    @Bean
    GrpcServerBuilderCustomizer recordSecurity() {
      ServerInterceptor record = new ServerInterceptor() {
        @Override
        public <Q, R> dev.grpcspring.ServerCall.Listener<Q> interceptCall(
            dev.grpcspring.ServerCall<Q, R> call, dev.grpcspring.Metadata headers,
            dev.grpcspring.ServerCallHandler<Q, R> next) {
          SSLSession session = call.getAttributes().get(Attributes.SSL_SESSION);
          String client = "none";
          if (session != null) {
            try {
              client = ((X509Certificate) session.getPeerCertificates()[0])
                  .getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
              client = "none";
            }
          }
          String seen = call.getSecurityLevel() + " client=" + client;
          dev.grpcspring.ServerCall.Listener<Q> delegate = next.startCall(call, headers);
          return new dev.grpcspring.interceptor.ForwardingServerCallListener<>(delegate) {
            @Override
            public void onHalfClose() {
              SEEN.set(seen);
              try {
                super.onHalfClose();
              } finally {
                SEEN.remove();
              }
            }
          };
        }
      };
      return builder -> builder.intercept(record);
    }
  }

  private static String call(GrpcChannelFactory channels, String name) {
    return EchoServiceGrpc.newBlockingStub(channels.getChannel(name, List.of()))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .echo(EchoRequest.newBuilder().setText("x").build()).getText();
  }

  @Test
  void serverAndChannelsFromBundlesWithTheDefaultChannelInherited() {
    runner.withPropertyValues("grpc.server.ssl.bundle=server",
            "grpc.client.channel.default.ssl.bundle=client",
            "grpc.client.channel.plain.ssl.enabled=false")
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          // "it" has no settings of its own: it inherits the default channel's bundle.
          assertThat(call(channels, "it")).isEqualTo("PRIVACY_AND_INTEGRITY client=none");
          StatusException plain = catchThrowableOfType(StatusException.class,
              () -> call(channels, "plain"));
          assertThat(plain.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);

          // Health and the actuator endpoint say what is secure.
          GrpcServerLifecycle lifecycle = ctx.getBean(GrpcServerLifecycle.class);
          assertThat(new GrpcServerHealthIndicator(lifecycle).health().getDetails())
              .containsEntry("security", "tls").containsEntry("clientAuth", "NONE");
          DefaultGrpcChannelFactory factory = ctx.getBean(DefaultGrpcChannelFactory.class);
          GrpcChannelsHealthContributor channelHealth = new GrpcChannelsHealthContributor(factory);
          assertThat(((HealthIndicator) channelHealth.getContributor("it")).health().getDetails())
              .containsEntry("security", "tls");
          assertThat(((HealthIndicator) channelHealth.getContributor("plain")).health()
              .getDetails()).containsEntry("security", "insecure");
          GrpcEndpoint.GrpcDescriptor grpc = new GrpcEndpoint(Channelz.getDefault(),
              () -> lifecycle, () -> factory).grpc();
          GrpcEndpoint.ServerDescriptor server = grpc.servers().stream()
              .filter(d -> d.port() != null).findFirst().orElseThrow();
          assertThat(server.security()).isEqualTo("tls");
          // The "plain" channel's refused attempt may still be listed, with no handshake done;
          // every socket that did TLS shows it, and the "it" channel's connection did.
          assertThat(server.sockets()).filteredOn(sock -> sock.tls() != null).isNotEmpty()
              .allSatisfy(sock -> {
                assertThat(sock.tls().protocol()).isEqualTo("TLSv1.3");
                assertThat(sock.tls().provider()).isEqualTo("JDK");
              });
          assertThat(grpc.channels()).filteredOn(c -> "it".equals(c.name()))
              .singleElement().satisfies(c -> assertThat(c.security()).isEqualTo("tls"));
          assertThat(grpc.channels()).filteredOn(c -> "plain".equals(c.name()))
              .singleElement().satisfies(c -> assertThat(c.security()).isEqualTo("insecure"));
        });
  }

  @Test
  void mutualTlsFromBundlesWithClientAuthRequire() {
    runner.withPropertyValues("grpc.server.ssl.bundle=server",
            "grpc.server.ssl.client-auth=require",
            "grpc.client.channel.mtls.ssl.bundle=mtls",
            "grpc.client.channel.nocert.ssl.bundle=client")
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          assertThat(call(channels, "mtls")).isEqualTo("PRIVACY_AND_INTEGRITY client=CN=testclient");
          StatusException e = catchThrowableOfType(StatusException.class,
              () -> call(channels, "nocert"));
          assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
        });
  }

  @Test
  void plaintextStaysTheDefault() {
    runner.run(ctx -> assertThat(call(ctx.getBean(GrpcChannelFactory.class), "it"))
        .isEqualTo("NONE client=none"));
  }

  @Test
  void tlsAskedForWithoutUsableMaterialFailsStartup() {
    runner.withPropertyValues("grpc.server.ssl.enabled=true").run(ctx -> assertThat(ctx)
        .getFailure().rootCause().hasMessageContaining("grpc.server.ssl.bundle"));
    runner.withPropertyValues("grpc.server.ssl.bundle=nope").run(ctx -> assertThat(ctx)
        .getFailure().hasStackTraceContaining(
            "grpc.server.ssl.bundle names SSL bundle 'nope', which does not exist"));
    runner.withPropertyValues("grpc.server.ssl.client-auth=require").run(ctx -> assertThat(ctx)
        .getFailure().rootCause().hasMessageContaining("grpc.server.ssl.client-auth"));
  }

  @Test
  void anUpdatedBundleReachesNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
    X509Bundle renewed = serverLeaf().buildIssuedBy(CA);
    runner.withPropertyValues("grpc.server.ssl.bundle=server").run(ctx -> {
      int port = ctx.getBean(GrpcServerLifecycle.class).getServer().getPort();
      TlsChannelCredentials creds = TlsChannelCredentials.newBuilder()
          .trustManager(CA.getCertificate()).build();
      try (ClientConn before = ClientConn.dial("127.0.0.1:" + port,
          DialOptions.newBuilder().transportCredentials(creds).build())) {
        assertThat(serial(before)).isEqualTo(SERVER.getCertificate().getSerialNumber());

        ctx.getBean(SslBundleRegistry.class).updateBundle("server", SslBundle.of(
            new PemSslStoreBundle(PemSslStoreDetails.forCertificate(renewed.getCertificatePEM())
                .withPrivateKey(renewed.getPrivateKeyPEM()),
                PemSslStoreDetails.forCertificate(CA.getCertificatePEM()))));

        try (ClientConn after = ClientConn.dial("127.0.0.1:" + port,
            DialOptions.newBuilder().transportCredentials(creds).build())) {
          assertThat(serial(after)).isEqualTo(renewed.getCertificate().getSerialNumber());
        }
        // The connection made before the update keeps its certificate and keeps working.
        assertThat(serial(before)).isEqualTo(SERVER.getCertificate().getSerialNumber());
      }
    });
  }

  @Test
  void changedFilesOfAReloadableBundleReachNewConnectionsWhileAnOpenStreamFinishes(
      @TempDir Path dir) throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    Files.writeString(cert, SERVER.getCertificatePEM());
    Files.writeString(key, SERVER.getPrivateKeyPEM());
    X509Bundle renewed = serverLeaf().buildIssuedBy(CA);
    runner.withPropertyValues("grpc.server.ssl.bundle=files",
        "spring.ssl.bundle.watch.file.quiet-period=300ms",
        "spring.ssl.bundle.pem.files.reload-on-update=true",
        "spring.ssl.bundle.pem.files.keystore.certificate=file:" + cert,
        "spring.ssl.bundle.pem.files.keystore.private-key=file:" + key).run(ctx -> {
          int port = ctx.getBean(GrpcServerLifecycle.class).getServer().getPort();
          TlsChannelCredentials creds = TlsChannelCredentials.newBuilder()
              .trustManager(CA.getCertificate()).build();
          try (ClientConn before = ClientConn.dial("127.0.0.1:" + port,
              DialOptions.newBuilder().transportCredentials(creds).build())) {
            assertThat(serial(before)).isEqualTo(SERVER.getCertificate().getSerialNumber());
            BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
            StreamObserver<EchoRequest> stream = EchoServiceGrpc.newStub(before)
                .chat(new StreamObserver<>() {
                  @Override
                  public void onNext(EchoResponse value) {
                    replies.add(value.getText());
                  }

                  @Override
                  public void onError(Throwable t) {
                    replies.add(t);
                  }

                  @Override
                  public void onCompleted() {
                    replies.add("completed");
                  }
                });
            stream.onNext(EchoRequest.newBuilder().setText("one").build());
            assertThat(replies.poll(30, TimeUnit.SECONDS)).isEqualTo("re:one");

            // Boot's watcher reloads the bundle once the files are quiet; our handler runs first.
            CountDownLatch reloaded = new CountDownLatch(1);
            ctx.getBean(SslBundles.class).addBundleUpdateHandler("files", bundle -> {
              try {
                X509Certificate now = (X509Certificate) bundle.getStores().getKeyStore()
                    .getCertificate(bundle.getStores().getKeyStore().aliases().nextElement());
                if (now.getSerialNumber().equals(renewed.getCertificate().getSerialNumber())) {
                  reloaded.countDown();
                }
              } catch (java.security.KeyStoreException e) {
                throw new IllegalStateException(e);
              }
            });
            Files.writeString(key, renewed.getPrivateKeyPEM());
            Files.writeString(cert, renewed.getCertificatePEM());
            assertThat(reloaded.await(60, TimeUnit.SECONDS)).as("bundle reloaded").isTrue();

            try (ClientConn after = ClientConn.dial("127.0.0.1:" + port,
                DialOptions.newBuilder().transportCredentials(creds).build())) {
              assertThat(serial(after)).isEqualTo(renewed.getCertificate().getSerialNumber());
            }
            // The stream opened before the reload carries on and finishes normally.
            stream.onNext(EchoRequest.newBuilder().setText("two").build());
            assertThat(replies.poll(30, TimeUnit.SECONDS)).isEqualTo("re:two");
            stream.onCompleted();
            assertThat(replies.poll(30, TimeUnit.SECONDS)).isEqualTo("completed");
          }
        });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aReloadWithUnusableMaterialKeepsTheOldCertificateAndLogsWhy(@TempDir Path dir,
      CapturedOutput output) throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    Files.writeString(cert, SERVER.getCertificatePEM());
    Files.writeString(key, SERVER.getPrivateKeyPEM());
    // The key file of a renewed pair lands, but not yet its certificate: a mismatched pair.
    X509Bundle renewed = serverLeaf().buildIssuedBy(CA);
    runner.withPropertyValues("grpc.server.ssl.bundle=files",
        "spring.ssl.bundle.watch.file.quiet-period=300ms",
        "spring.ssl.bundle.pem.files.reload-on-update=true",
        "spring.ssl.bundle.pem.files.keystore.certificate=file:" + cert,
        "spring.ssl.bundle.pem.files.keystore.private-key=file:" + key).run(ctx -> {
          int port = ctx.getBean(GrpcServerLifecycle.class).getServer().getPort();
          TlsChannelCredentials creds = TlsChannelCredentials.newBuilder()
              .trustManager(CA.getCertificate()).build();
          // Handlers run in the order added: ours, from the server's start, has run when this one
          // does.
          CountDownLatch reloaded = new CountDownLatch(1);
          ctx.getBean(SslBundles.class).addBundleUpdateHandler("files",
              bundle -> reloaded.countDown());
          Files.writeString(key, renewed.getPrivateKeyPEM());
          assertThat(reloaded.await(60, TimeUnit.SECONDS)).as("bundle reloaded").isTrue();

          assertThat(output.getAll()).contains("SSL bundle 'files' was updated, but its material "
              + "cannot be used for gRPC TLS; connections keep using the previous material")
              .contains("does not belong to its certificate CN=localhost");
          try (ClientConn after = ClientConn.dial("127.0.0.1:" + port,
              DialOptions.newBuilder().transportCredentials(creds).build())) {
            assertThat(serial(after)).isEqualTo(SERVER.getCertificate().getSerialNumber());
          }
        });
  }

  private static BigInteger serial(ClientConn cc) throws Exception {
    AtomicReference<Peer> peer = new AtomicReference<>();
    ClientCalls.blockingUnaryCall(cc, EchoServiceGrpc.getEchoMethod(),
        ClientCallOptions.withPeerCapture(CallOptions.DEFAULT, peer)
            .withDeadlineAfter(30, TimeUnit.SECONDS),
        EchoRequest.newBuilder().setText("x").build());
    SSLSession session = peer.get().transportAttributes().get(Attributes.SSL_SESSION);
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }
}
