package dev.grpcspring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.boot.autoconfigure.server.GrpcServerExecutorProvider;
import dev.grpcspring.boot.server.LocalGrpcServerPort;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * grpc-java clients against a secured server over TLS (client certificates optional): JWT bearer
 * tokens, Basic, client certificates, access rules from properties and method security, and the
 * caller's context on every callback without leaking between calls on a two-thread pool.
 */
@SpringBootTest(classes = SecuredEchoApplication.class, properties = {
    "grpc.server.port=0",
    "grpc.client.enabled=false",
    "grpc.server.executor.threads=2",
    "grpc.server.ssl.bundle=server",
    "grpc.server.ssl.client-auth=optional",
    "grpc.server.security.default-access=authenticated",
    "grpc.server.security.rules[0].methods=grpcspring.boot.test.EchoService/Expand",
    "grpc.server.security.rules[0].access=permit-all",
    "grpc.server.security.rules[1].methods=grpcspring.boot.test.EchoService/Collect",
    "grpc.server.security.rules[1].roles=ADMIN"})
class GrpcSecurityEndToEndTest {

  static final X509Bundle CA;
  static final X509Bundle SERVER;
  static final X509Bundle CLIENT;

  static {
    try {
      CA = new CertificateBuilder().subject("CN=test-ca").setIsCertificateAuthority(true)
          .buildSelfSigned();
      SERVER = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
          .addExtendedKeyUsageServerAuth().buildIssuedBy(CA);
      CLIENT = new CertificateBuilder().subject("CN=testclient,O=grpc-spring")
          .addExtendedKeyUsageClientAuth().buildIssuedBy(CA);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void bundles(DynamicPropertyRegistry registry) {
    registry.add("spring.ssl.bundle.pem.server.keystore.certificate", SERVER::getCertificatePEM);
    registry.add("spring.ssl.bundle.pem.server.keystore.private-key", SERVER::getPrivateKeyPEM);
    registry.add("spring.ssl.bundle.pem.server.truststore.certificate", CA::getCertificatePEM);
  }

  @LocalGrpcServerPort
  int port;

  @Autowired
  GrpcServerExecutorProvider executors;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private ManagedChannel tls;

  @BeforeEach
  void connect() throws Exception {
    tls = channel(false);
  }

  @AfterEach
  void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel channel(boolean clientCertificate) throws Exception {
    TlsChannelCredentials.Builder creds = TlsChannelCredentials.newBuilder()
        .trustManager(CA.toTrustManagerFactory().getTrustManagers());
    if (clientCertificate) {
      creds.keyManager(CLIENT.toKeyManagerFactory().getKeyManagers());
    }
    ChannelCredentials built = creds.build();
    ManagedChannel c = Grpc.newChannelBuilderForAddress("localhost", port, built).build();
    channels.add(c);
    return c;
  }

  private static Status.Code code(Runnable call) {
    AtomicReference<Status.Code> code = new AtomicReference<>();
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      code.set(e.getStatus().getCode());
      // Nothing about why reaches the caller.
      assertThat(e.getStatus().getDescription()).isIn("Authentication failed",
          "Authentication required", "Access denied");
    });
    return code.get();
  }

  @Test
  void noTokenIsUnauthenticated() {
    GrpcJavaEchoClient anonymous = new GrpcJavaEchoClient(tls, null);
    assertThat(code(() -> anonymous.echo("x"))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.chat("x"))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.collect("x"))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void permitAllRuleLetsAnonymousCallersIn() {
    assertThat(new GrpcJavaEchoClient(tls, null).expand("e", 2))
        .containsExactly("anonymousUser:e0", "anonymousUser:e1");
  }

  @Test
  void healthIsOpenToAnonymousCallersByDefault() {
    assertThat(io.grpc.health.v1.HealthGrpc.newBlockingStub(tls)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void badSignatureExpiredOrGarbageTokensAreUnauthenticated() throws Exception {
    KeyPair other = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
    String forged = SecuredEchoApplication.token(other, "mallory",
        Instant.now().plusSeconds(300), "ADMIN");
    String expired = SecuredEchoApplication.token(SecuredEchoApplication.KEYS, "alice",
        Instant.now().minusSeconds(600), "ADMIN");
    for (String token : List.of(forged, expired, "not-a-jwt")) {
      GrpcJavaEchoClient client = GrpcJavaEchoClient.bearer(tls, token);
      assertThat(code(() -> client.echo("x"))).isEqualTo(Status.Code.UNAUTHENTICATED);
      // Bad credentials fail even where anonymous callers are welcome.
      assertThat(code(() -> client.expand("x", 1))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    GrpcJavaEchoClient wrongPassword = new GrpcJavaEchoClient(tls,
        "Basic " + Base64.getEncoder().encodeToString("basic:wrong".getBytes()));
    assertThat(code(() -> wrongPassword.chat("x"))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void validTokenWithoutTheRoleIsPermissionDenied() {
    GrpcJavaEchoClient user = GrpcJavaEchoClient.bearer(tls,
        SecuredEchoApplication.token("alice", "USER"));
    // @PreAuthorize on the method.
    assertThat(code(() -> user.echo("x"))).isEqualTo(Status.Code.PERMISSION_DENIED);
    // A role rule from the properties.
    assertThat(code(() -> user.collect("x"))).isEqualTo(Status.Code.PERMISSION_DENIED);
    GrpcJavaEchoClient admin = GrpcJavaEchoClient.bearer(tls,
        SecuredEchoApplication.token("root", "ADMIN"));
    // @Secured("ROLE_USER") on a bidi method.
    assertThat(code(() -> admin.chat("x"))).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void validTokenWithTheRoleReachesTheHandlerWhichSeesThePrincipal() {
    GrpcJavaEchoClient admin = GrpcJavaEchoClient.bearer(tls,
        SecuredEchoApplication.token("root", "ADMIN", "USER"));
    assertThat(admin.echo("hi")).isEqualTo("root:hi");
    assertThat(admin.collect("a", "b")).isEqualTo("root:root,root,");
    assertThat(admin.chat("a", "b")).containsExactly("root:a", "root:b", "root:done");
  }

  @Test
  void basicCredentialsCheckedByTheUserDetailsService() {
    GrpcJavaEchoClient basic = new GrpcJavaEchoClient(tls,
        "Basic " + Base64.getEncoder().encodeToString("basic:secret".getBytes()));
    assertThat(basic.chat("m")).containsExactly("basic:m", "basic:done");
  }

  @Test
  void clientCertificateIsTheX509Principal() throws Exception {
    GrpcJavaEchoClient mtls = new GrpcJavaEchoClient(channel(true), null);
    // The CN, with the authorities the UserDetailsService has for it.
    assertThat(mtls.chat("c")).containsExactly("testclient:c", "testclient:done");
    assertThat(code(() -> mtls.echo("c"))).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void concurrentCallersEachSeeTheirOwnContextAndNothingStaysOnPoolThreads() throws Exception {
    int callers = 24;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String user = "user" + i;
        GrpcJavaEchoClient client = GrpcJavaEchoClient.bearer(tls,
            SecuredEchoApplication.token(user, "USER", "ADMIN"));
        GrpcJavaEchoClient anonymous = new GrpcJavaEchoClient(tls, null);
        calls.add(clients.submit(() -> {
          for (int round = 0; round < 5; round++) {
            assertThat(client.chat("a", "b", "c"))
                .containsExactly(user + ":a", user + ":b", user + ":c", user + ":done");
            assertThat(client.collect("a", "b"))
                .isEqualTo(user + ":" + user + "," + user + ",");
            assertThat(client.echo("u")).isEqualTo(user + ":u");
            assertThat(anonymous.expand("x", 2))
                .containsExactly("anonymousUser:x0", "anonymousUser:x1");
          }
          return null;
        }));
      }
      for (Future<?> call : calls) {
        call.get(60, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    assertNoContextOnHandlerThreads();
  }

  /**
   * Occupies every thread of the two-thread handler pool at once (each probe waits for the
   * other) and asks each what security context it holds.
   */
  void assertNoContextOnHandlerThreads() throws InterruptedException {
    int threads = 2;
    CountDownLatch together = new CountDownLatch(threads);
    CountDownLatch done = new CountDownLatch(threads);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < threads; i++) {
      executors.getExecutor().execute(() -> {
        together.countDown();
        try {
          together.await(10, TimeUnit.SECONDS);
          seen.add(Thread.currentThread().getName() + "="
              + SecurityContextHolder.getContext().getAuthentication());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          SecurityContextHolder.clearContext();
          done.countDown();
        }
      });
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasSize(threads).allSatisfy(s -> assertThat(s).endsWith("=null"));
    assertThat(seen.stream().map(s -> s.substring(0, s.indexOf('='))).distinct()).hasSize(threads);
  }
}
