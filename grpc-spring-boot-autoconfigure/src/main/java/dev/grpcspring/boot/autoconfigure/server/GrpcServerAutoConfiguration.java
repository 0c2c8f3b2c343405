package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.boot.advice.GrpcExceptionInterceptor;
import dev.grpcspring.boot.autoconfigure.observation.GrpcObservationAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.security.GrpcServerSecurityAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.ssl.GrpcSslBundles;
import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerFactory;
import dev.grpcspring.boot.server.GrpcServerGracefulShutdownLifecycle;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcServiceDiscoverer;
import dev.grpcspring.interceptor.ServerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The gRPC server from {@code grpc.server.*}: every {@code @GrpcService} bean, started with the
 * context and drained gracefully when it closes. The server exists only when
 * {@link GrpcServerStartRule} says so: the application declares a service of its own, or
 * {@code grpc.server.enabled=true}. Otherwise none of its beans are defined, and a
 * {@link GrpcServerNotStartedReporter} logs why.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(name = "dev.grpcspring.server.Server")
@EnableConfigurationProperties(GrpcServerProperties.class)
public final class GrpcServerAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @Conditional(OnGrpcServerCondition.NoServer.class)
  static final class NoServerConfiguration {
    @Bean
    static GrpcServerNotStartedReporter grpcServerNotStartedReporter(
        ConfigurableListableBeanFactory beanFactory, Environment environment) {
      return new GrpcServerNotStartedReporter(beanFactory, environment);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Conditional(OnGrpcServerCondition.class)
  static final class ServerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GrpcServerExecutorProvider grpcServerExecutorProvider(GrpcServerProperties properties,
        Environment environment) {
      return new DefaultGrpcServerExecutorProvider(properties.getExecutor().isDirect(),
          Threading.VIRTUAL.isActive(environment),
          environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false),
          properties.getExecutor().getThreads());
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcServerFactory grpcServerFactory(GrpcServerProperties properties,
        GrpcServerExecutorProvider executorProvider,
        ObjectProvider<GrpcServerBuilderCustomizer> customizers,
        ObjectProvider<SslBundles> sslBundles) {
      return new DefaultGrpcServerFactory(properties, executorProvider,
          customizers.orderedStream().toList(), new GrpcSslBundles(sslBundles.getIfAvailable()));
    }

    // The exception boundary's bean is defined after this one (its auto-configuration needs the
    // server's); the provider looks it up when the discoverer is made, once all are defined.
    @Bean
    @ConditionalOnMissingBean
    GrpcServiceDiscoverer grpcServiceDiscoverer(ListableBeanFactory beanFactory,
        ObjectProvider<GrpcExceptionInterceptor> exceptionInterceptor) {
      List<ServerInterceptor> outermost = new ArrayList<>();
      // Observation outside the exception boundary: it times the whole call and sees the status
      // the boundary maps a thrown exception to.
      if (beanFactory.containsBean(GrpcObservationAutoConfiguration.SERVER_INTERCEPTOR_BEAN)) {
        outermost.add(beanFactory.getBean(GrpcObservationAutoConfiguration.SERVER_INTERCEPTOR_BEAN,
            ServerInterceptor.class));
      }
      exceptionInterceptor.ifAvailable(outermost::add);
      // Security inside the boundary (which turns what it throws into statuses) and ahead of every
      // other interceptor, so that they and the service run with the caller's context.
      if (beanFactory.containsBean(GrpcServerSecurityAutoConfiguration.SERVER_INTERCEPTOR_BEAN)) {
        outermost.add(beanFactory.getBean(
            GrpcServerSecurityAutoConfiguration.SERVER_INTERCEPTOR_BEAN, ServerInterceptor.class));
      }
      return new GrpcServiceDiscoverer(beanFactory, outermost);
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcServerLifecycle grpcServerLifecycle(GrpcServerFactory factory,
        GrpcServiceDiscoverer discoverer, GrpcServerProperties properties) {
      return new GrpcServerLifecycle(factory, discoverer, properties.getPort(),
          Duration.ofSeconds(10), Boolean.TRUE.equals(properties.getEnabled()));
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcServerGracefulShutdownLifecycle grpcServerGracefulShutdownLifecycle(
        GrpcServerLifecycle serverLifecycle, GrpcServerProperties properties,
        ApplicationEventPublisher publisher) {
      return new GrpcServerGracefulShutdownLifecycle(serverLifecycle,
          properties.getShutdown().getGracePeriod(), publisher);
    }
  }
}
