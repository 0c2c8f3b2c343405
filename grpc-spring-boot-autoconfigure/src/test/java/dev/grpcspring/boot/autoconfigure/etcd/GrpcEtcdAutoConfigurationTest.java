package dev.grpcspring.boot.autoconfigure.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsProvider;
import dev.grpcspring.etcd.EtcdClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What {@code grpc.etcd.*} and {@code grpc.server.registration.*} set up, and what they refuse. */
class GrpcEtcdAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class, GrpcEtcdAutoConfiguration.class));

  @Test
  void nothingWithoutEndpoints() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).doesNotHaveBean(EtcdClient.class);
      assertThat(ctx).doesNotHaveBean(EtcdServerRegistrar.class);
    });
  }

  @Test
  void endpointsMakeAClientAndTheEtcdSchemeCustomizer() {
    runner.withPropertyValues("grpc.etcd.endpoints[0]=http://127.0.0.1:2379", "grpc.etcd.endpoints[1]=10.0.0.2:2379")
        .run(ctx -> {
          assertThat(ctx.getBean(EtcdClient.class).endpoints())
              .containsExactly("127.0.0.1:2379", "10.0.0.2:2379");
          assertThat(ctx).hasBean("grpcEtcdResolverCustomizer");
        });
  }

  @Test
  void badSettingsFailTheStartSayingWhy() {
    runner.withPropertyValues("grpc.etcd.endpoints=http://127.0.0.1:2379", "grpc.etcd.ssl.enabled=true")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("say http, but TLS credentials are set"));
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.etcd.ssl.bundle=missing")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("grpc.etcd.ssl.bundle names SSL bundle 'missing'"));
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.etcd.ssl.bundle=b",
            "grpc.etcd.ssl.enabled=false")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("grpc.etcd.ssl.enabled is false"));
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.etcd.username=root")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("grpc.etcd.username and grpc.etcd.password"));
    runner.withPropertyValues("grpc.server.registration.enabled=true", "grpc.server.registration.service=s")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("grpc.etcd.endpoints is not set"));
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.server.registration.enabled=true")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("spring.application.name"));
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.server.registration.enabled=true",
            "grpc.server.registration.service=s", "grpc.server.registration.ttl=500ms")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("at least 1s"));
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.server.registration.enabled=true",
            "grpc.server.registration.service=s", "grpc.server.registration.deregister-timeout=0s")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("deregister-timeout must be positive"));
  }

  @Test
  void httpsEndpointsOrSslEnabledMeanTls() {
    runner.withPropertyValues("grpc.etcd.endpoints=https://127.0.0.1:2379")
        .run(ctx -> assertThat(ctx.getBean(EtcdClient.class).isSecure()).isTrue());
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.etcd.ssl.enabled=true")
        .run(ctx -> assertThat(ctx.getBean(EtcdClient.class).isSecure()).isTrue());
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379")
        .run(ctx -> assertThat(ctx.getBean(EtcdClient.class).isSecure()).isFalse());
  }

  @Test
  void sslProviderChoosesTheTlsImplementation() {
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.etcd.ssl.enabled=true",
            "grpc.etcd.ssl.provider=jdk")
        .run(ctx -> assertThat(((TlsChannelCredentials) ctx.getBean(EtcdClient.class).channel()
            .transportCredentials()).provider()).isEqualTo(TlsProvider.JDK));
    // This module's tests have no netty-tcnative: asking for OpenSSL fails the start, saying so.
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.etcd.ssl.enabled=true",
            "grpc.etcd.ssl.provider=openssl")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("TLS provider OPENSSL was asked for"));
  }

  @Test
  void registrationServiceDefaultsToTheApplicationName() {
    runner.withPropertyValues("grpc.etcd.endpoints=127.0.0.1:2379", "grpc.server.registration.enabled=true",
            "spring.application.name=orders")
        .run(ctx -> assertThat(ctx).hasSingleBean(EtcdServerRegistrar.class));
  }
}
