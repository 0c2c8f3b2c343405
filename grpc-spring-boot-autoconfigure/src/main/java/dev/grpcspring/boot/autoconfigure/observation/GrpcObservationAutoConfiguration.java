package dev.grpcspring.boot.autoconfigure.observation;

import dev.grpcspring.boot.client.GrpcGlobalClientInterceptor;
import dev.grpcspring.boot.observation.GrpcClientObservationConvention;
import dev.grpcspring.boot.observation.GrpcServerObservationConvention;
import dev.grpcspring.boot.observation.ObservationGrpcClientInterceptor;
import dev.grpcspring.boot.observation.ObservationGrpcServerInterceptor;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Observes every gRPC call when an {@link ObservationRegistry} exists (Spring Boot makes one with
 * Actuator): a server interceptor ({@code grpc.server} observations) that runs outermost, outside
 * even the exception boundary, so that it sees the status exceptions are mapped to, and a global
 * client interceptor ({@code grpc.client}). With a meter registry these become timers of those names,
 * tagged {@code rpc.service}, {@code rpc.method}, {@code rpc.type} and {@code grpc.status_code};
 * their histograms and percentiles are set the usual Boot way, for instance {@code
 * management.metrics.distribution.percentiles-histogram.grpc.server=true}, {@code
 * management.metrics.distribution.percentiles.grpc.client=0.5,0.99} or {@code
 * management.metrics.distribution.slo.grpc.server=10ms,100ms}. Turn either side off with {@code
 * grpc.server.observation.enabled=false} or {@code grpc.client.observation.enabled=false}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(name = {"io.micrometer.observation.ObservationRegistry",
    "dev.grpcspring.interceptor.ServerInterceptor"})
@ConditionalOnBean(ObservationRegistry.class)
public final class GrpcObservationAutoConfiguration {
  /** Where the client observation interceptor sits among global ones: early, to time the rest. */
  public static final int INTERCEPTOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;
  /** The server interceptor's bean name; the server puts it before every other interceptor. */
  public static final String SERVER_INTERCEPTOR_BEAN = "observationGrpcServerInterceptor";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.grpcspring.server.Server")
  @ConditionalOnBooleanProperty(name = "grpc.server.observation.enabled", matchIfMissing = true)
  static final class Server {
    @Bean(SERVER_INTERCEPTOR_BEAN)
    @ConditionalOnMissingBean(name = SERVER_INTERCEPTOR_BEAN)
    ObservationGrpcServerInterceptor observationGrpcServerInterceptor(ObservationRegistry registry,
        ObjectProvider<GrpcServerObservationConvention> convention) {
      return new ObservationGrpcServerInterceptor(registry, convention.getIfAvailable());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.grpcspring.client.ClientConn")
  @ConditionalOnBooleanProperty(name = "grpc.client.observation.enabled", matchIfMissing = true)
  static final class Client {
    @Bean
    @GrpcGlobalClientInterceptor
    @Order(INTERCEPTOR_ORDER)
    @ConditionalOnMissingBean
    ObservationGrpcClientInterceptor observationGrpcClientInterceptor(ObservationRegistry registry,
        ObjectProvider<GrpcClientObservationConvention> convention) {
      return new ObservationGrpcClientInterceptor(registry, convention.getIfAvailable());
    }
  }
}
