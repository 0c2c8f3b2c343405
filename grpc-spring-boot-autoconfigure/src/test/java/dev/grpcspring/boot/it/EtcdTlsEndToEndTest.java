package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.server.GrpcServerStartedEvent;
import dev.grpcspring.etcd.EtcdClient;
import dev.grpcspring.etcd.EtcdProcess;
import dev.grpcspring.etcd.EtcdTestPki;
import dev.grpcspring.etcd.v3.RangeRequest;
import dev.grpcspring.server.Server;
import io.netty.pkitesting.X509Bundle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code grpc.etcd.ssl.bundle}: registration and {@code etcd:///} channels reach an etcd that
 * requires TLS with client certificates ({@code --client-cert-auth}); a bundle trusting the wrong
 * CA makes calls fail UNAVAILABLE saying the TLS handshake with etcd failed.
 */
@Timeout(120)
class EtcdTlsEndToEndTest {
  private static final EtcdTestPki PKI = EtcdTestPki.INSTANCE;

  /** The etcd properties with a PEM bundle trusting {@code ca}, holding the client certificate. */
  private static List<String> etcdTls(EtcdProcess etcd, X509Bundle ca) {
    return List.of("--grpc.etcd.endpoints=" + etcd.url(),
        "--grpc.etcd.ssl.bundle=etcd",
        "--spring.ssl.bundle.pem.etcd.truststore.certificate=" + ca.getCertificatePEM(),
        "--spring.ssl.bundle.pem.etcd.keystore.certificate=" + PKI.client.getCertificatePEM(),
        "--spring.ssl.bundle.pem.etcd.keystore.private-key=" + PKI.client.getPrivateKeyPEM());
  }

  private static String[] args(List<String> common, String... more) {
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void registrationAndEtcdTargetsGoOverTlsFromAnSslBundle() throws Exception {
    List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    try (EtcdProcess etcd = EtcdProcess.start(PKI.etcdTls(true));
        EtcdClient direct = EtcdClient.newBuilder().endpoints(etcd.url())
            .transportCredentials(PKI.credentials(true)).build()) {
      AtomicReference<Server> server = new AtomicReference<>();
      contexts.add(new SpringApplicationBuilder(EchoApplication.class)
          .listeners((ApplicationListener<GrpcServerStartedEvent>) e -> server.set(e.getServer()))
          .run(args(etcdTls(etcd, PKI.ca), "--grpc.server.port=0",
              "--grpc.server.address=127.0.0.1",
              "--grpc.server.registration.enabled=true",
              "--grpc.server.registration.service=echo-tls",
              "--grpc.client.channel.echo.target=127.0.0.1:1")));
      String key = "echo-tls/127.0.0.1:" + server.get().getPort();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (count(direct, key) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20); // registration is asynchronous and offers nothing to wait on
      }
      assertThat(count(direct, key)).isEqualTo(1);

      ConfigurableApplicationContext client = new SpringApplicationBuilder(EchoApplication.class)
          .run(args(etcdTls(etcd, PKI.ca), "--grpc.server.enabled=false",
              "--grpc.client.channel.echo.target=etcd:///echo-tls"));
      contexts.add(client);
      assertThat(client.getBean(EtcdClient.class).isSecure()).isTrue();
      assertThat(client.getBean(EchoCaller.class).echo("over tls")).isEqualTo("over tls");

      ConfigurableApplicationContext wrongCa = new SpringApplicationBuilder(EchoApplication.class)
          .run(args(etcdTls(etcd, PKI.otherCa), "--grpc.server.enabled=false",
              "--grpc.client.channel.echo.target=etcd:///echo-tls"));
      contexts.add(wrongCa);
      StatusException e = catchThrowableOfType(StatusException.class,
          () -> wrongCa.getBean(EchoCaller.class).echo("refused"));
      assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("etcd resolver")
          .contains("TLS handshake with 127.0.0.1").contains("certification path");

      // Closing the server's context deregisters over TLS.
      contexts.get(0).close();
      assertThat(count(direct, key)).isZero();
    } finally {
      for (ConfigurableApplicationContext c : contexts) {
        c.close();
      }
    }
  }

  private static long count(EtcdClient etcd, String key) throws Exception {
    return etcd.kvFuture().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
        .build()).get(10, TimeUnit.SECONDS).getCount();
  }
}
