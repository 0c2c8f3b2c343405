package dev.grpcspring.boot.autoconfigure.reflection;

import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.reflection.ProtoReflectionService;
import dev.grpcspring.server.Server;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Serves server reflection, v1 and v1alpha, on the gRPC server
 * ({@code grpc.server.reflection.enabled}). It describes every service the running server
 * registered from generated code, including health and reflection themselves. Registered by a
 * {@link GrpcServerBuilderCustomizer}, so global server interceptors do not apply to it. Only when
 * the gRPC server starts: reflection alone does not start it.
 */
@AutoConfiguration(after = GrpcServerAutoConfiguration.class)
@ConditionalOnClass(name = "dev.grpcspring.reflection.ProtoReflectionService")
@ConditionalOnBean(GrpcServerLifecycle.class)
@ConditionalOnBooleanProperty(name = "grpc.server.reflection.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcReflectionProperties.class)
public final class GrpcReflectionAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ProtoReflectionService grpcReflectionService(ObjectProvider<GrpcServerLifecycle> lifecycle) {
    // Read at request time: the server is built after this bean, from the customizers below.
    return new ProtoReflectionService(() -> {
      GrpcServerLifecycle l = lifecycle.getIfAvailable();
      Server server = l == null ? null : l.getServer();
      return server == null ? null : server.getServices();
    });
  }

  @Bean
  GrpcServerBuilderCustomizer grpcReflectionServiceCustomizer(ProtoReflectionService reflection) {
    return builder -> reflection.bindServices().forEach(builder::registerService);
  }
}
