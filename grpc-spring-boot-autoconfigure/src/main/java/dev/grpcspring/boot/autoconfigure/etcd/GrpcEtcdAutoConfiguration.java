package dev.grpcspring.boot.autoconfigure.etcd;

import dev.grpcspring.boot.autoconfigure.ssl.GrpcSslBundles;
import dev.grpcspring.boot.client.GrpcChannelCustomizer;
import dev.grpcspring.etcd.EtcdClient;
import dev.grpcspring.etcd.EtcdRegistration;
import dev.grpcspring.etcd.EtcdResolverBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * etcd naming from {@code grpc.etcd.*}: an {@link EtcdClient} (over TLS from the SSL bundle named
 * by {@code grpc.etcd.ssl.bundle}), the {@code etcd} scheme on every channel made from {@code
 * grpc.client.channel.*} (the default scheme stays as it is), and, with {@code
 * grpc.server.registration.enabled}, the server's registration. Registration enabled without
 * endpoints fails the start-up, saying so.
 */
@AutoConfiguration(after = SslAutoConfiguration.class, afterName = {
    "dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration",
    "dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration"})
@ConditionalOnClass(name = "dev.grpcspring.etcd.EtcdClient")
@EnableConfigurationProperties({GrpcEtcdProperties.class, GrpcServerRegistrationProperties.class})
public final class GrpcEtcdAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @Conditional(OnEtcdEndpoints.class)
  EtcdClient grpcEtcdClient(GrpcEtcdProperties properties,
      ObjectProvider<SslBundles> sslBundles) {
    if ((properties.getUsername() == null) != (properties.getPassword() == null)) {
      throw new IllegalStateException(
          "Set both grpc.etcd.username and grpc.etcd.password, or neither");
    }
    if (properties.getMaxBackoff().compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalStateException(
          "grpc.etcd.max-backoff must be at least 100ms, got " + properties.getMaxBackoff());
    }
    EtcdClient.Builder builder = EtcdClient.newBuilder()
        .credentials(properties.getUsername(), properties.getPassword());
    GrpcEtcdProperties.Ssl ssl = properties.getSsl();
    String bundle = ssl.getBundle();
    boolean hasBundle = bundle != null && !bundle.isBlank();
    if (Boolean.FALSE.equals(ssl.getEnabled()) && hasBundle) {
      throw new IllegalStateException("grpc.etcd.ssl.bundle is set but grpc.etcd.ssl.enabled is "
          + "false: remove the bundle for plaintext, or the enabled=false for TLS");
    }
    if (hasBundle || Boolean.TRUE.equals(ssl.getEnabled())) {
      builder.transportCredentials(new GrpcSslBundles(sslBundles.getIfAvailable())
          .channelCredentials(hasBundle ? bundle : null, "grpc.etcd.ssl.bundle",
              ssl.getProvider()));
    }
    try {
      return builder.endpoints(properties.getEndpoints()).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid grpc.etcd.endpoints: " + e.getMessage(), e);
    }
  }

  @Bean
  @Conditional(OnEtcdEndpoints.class)
  @ConditionalOnClass(name = "dev.grpcspring.boot.client.GrpcChannelCustomizer")
  GrpcChannelCustomizer grpcEtcdResolverCustomizer(EtcdClient etcd, GrpcEtcdProperties properties) {
    EtcdResolverBuilder resolver =
        new EtcdResolverBuilder(etcd, properties.getKeyPrefix(), properties.getMaxBackoff());
    return (name, options) -> options.resolver(resolver);
  }

  @Bean
  @ConditionalOnBooleanProperty("grpc.server.registration.enabled")
  EtcdServerRegistrar grpcEtcdServerRegistrar(ObjectProvider<EtcdClient> etcd,
      GrpcEtcdProperties etcdProperties, GrpcServerRegistrationProperties properties, Environment environment) {
    EtcdClient client = etcd.getIfAvailable();
    if (client == null) {
      throw new IllegalStateException("grpc.server.registration.enabled is true but grpc.etcd.endpoints "
          + "is not set: set the etcd endpoints to register in, or turn registration off");
    }
    String service = properties.getService() != null ? properties.getService()
        : environment.getProperty("spring.application.name");
    if (service == null || service.isBlank()) {
      throw new IllegalStateException("grpc.server.registration.enabled is true but neither "
          + "grpc.server.registration.service nor spring.application.name names the service");
    }
    if (properties.getDeregisterTimeout().isNegative() || properties.getDeregisterTimeout().isZero()) {
      throw new IllegalStateException("grpc.server.registration.deregister-timeout must be positive, got "
          + properties.getDeregisterTimeout());
    }
    if (properties.getTtl().compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalStateException(
          "grpc.server.registration.ttl must be at least 1s, got " + properties.getTtl());
    }
    EtcdRegistration.Builder registrations = EtcdRegistration.newBuilder(client, service)
        .keyPrefix(etcdProperties.getKeyPrefix())
        .ttl(properties.getTtl())
        .advertiseHost(properties.getAdvertiseHost())
        .deregisterTimeout(properties.getDeregisterTimeout())
        .metadata(properties.getMetadata().isEmpty() ? null : new LinkedHashMap<>(properties.getMetadata()));
    return new EtcdServerRegistrar(registrations, service);
  }

  /** Matches when {@code grpc.etcd.endpoints} binds to a non-empty list. */
  static final class OnEtcdEndpoints extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      List<String> endpoints = Binder.get(context.getEnvironment())
          .bind("grpc.etcd.endpoints", Bindable.listOf(String.class)).orElse(List.of());
      return endpoints.isEmpty()
          ? ConditionOutcome.noMatch("grpc.etcd.endpoints is not set")
          : ConditionOutcome.match("grpc.etcd.endpoints is " + endpoints);
    }
  }
}
