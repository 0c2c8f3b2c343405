package dev.grpcspring.boot.autoconfigure.health;

import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.health.HealthStatusManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves {@code grpc.health.v1.Health} on the gRPC server ({@code grpc.server.health.enabled}),
 * from a {@link HealthStatusManager} bean that turns NOT_SERVING when the server starts shutting
 * down, before it drains. The service is registered by a {@link GrpcServerBuilderCustomizer}, so
 * global server interceptors (authentication, say) do not apply to it: probes need no
 * credentials. With Actuator's health endpoint present, the overall status follows Actuator's
 * health, without {@code grpcChannels} by default, or a group of it
 * ({@code grpc.server.health.actuator.*}). Only when the gRPC server starts: the health service
 * alone does not start it.
 */
@AutoConfiguration(after = GrpcServerAutoConfiguration.class, afterName = {
    "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration"})
@ConditionalOnClass(name = "dev.grpcspring.health.HealthStatusManager")
@ConditionalOnBean(GrpcServerLifecycle.class)
@ConditionalOnBooleanProperty(name = "grpc.server.health.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcHealthProperties.class)
public final class GrpcHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  HealthStatusManager grpcHealthStatusManager() {
    return new HealthStatusManager();
  }

  @Bean
  GrpcServerBuilderCustomizer grpcHealthServiceCustomizer(HealthStatusManager manager) {
    return builder -> builder.registerService(manager.getHealthService())
        .addShutdownHook(manager::enterTerminalState);
  }

  /** The overall gRPC health follows Actuator's. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.health.actuate.endpoint.HealthEndpoint",
      "org.springframework.boot.actuate.endpoint.OperationResponseBody"})
  @ConditionalOnBean(HealthEndpoint.class)
  @ConditionalOnBooleanProperty(name = "grpc.server.health.actuator.enabled", matchIfMissing = true)
  static class ActuatorHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ActuatorGrpcHealthUpdater actuatorGrpcHealthUpdater(HealthStatusManager manager,
        HealthEndpoint endpoint, HealthEndpointGroups groups, GrpcHealthProperties properties) {
      GrpcHealthProperties.Actuator actuator = properties.getActuator();
      return new ActuatorGrpcHealthUpdater(manager, endpoint, groups, actuator.getGroup(),
          actuator.getExclude(), actuator.getUpdateInterval());
    }
  }
}
