package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.boot.autoconfigure.ssl.GrpcSslBundles;
import dev.grpcspring.boot.client.GrpcChannelCustomizer;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.client.GrpcClientAutowireCandidateResolver;
import dev.grpcspring.boot.client.GrpcClientBeanPostProcessor;
import dev.grpcspring.boot.client.GrpcGlobalClientInterceptor;
import dev.grpcspring.boot.support.OrderedAnnotatedBeans;
import dev.grpcspring.interceptor.ClientInterceptor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * gRPC channels from {@code grpc.client.channel.*}, {@code @GrpcClient} injection, and stub beans
 * from {@code grpc.client.channel.<name>.stubs} (those of
 * {@link dev.grpcspring.boot.client.ImportGrpcClients} are registered by the annotation itself).
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(name = "dev.grpcspring.client.ClientConn")
@ConditionalOnBooleanProperty(name = "grpc.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcClientProperties.class)
public final class GrpcClientAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(GrpcChannelFactory.class)
  DefaultGrpcChannelFactory grpcChannelFactory(Environment environment,
      ListableBeanFactory beanFactory, ObjectProvider<GrpcChannelCustomizer> customizers,
      ObjectProvider<SslBundles> sslBundles) {
    return new DefaultGrpcChannelFactory(new ChannelPropertiesResolver(environment), beanFactory,
        () -> OrderedAnnotatedBeans.find(
            beanFactory, GrpcGlobalClientInterceptor.class, ClientInterceptor.class),
        customizers.orderedStream().toList(), new GrpcSslBundles(sslBundles.getIfAvailable()));
  }

  @Bean
  static GrpcStubBeansRegistrar grpcStubBeansRegistrar() {
    return new GrpcStubBeansRegistrar();
  }

  @Bean
  static GrpcClientBeanPostProcessor grpcClientBeanPostProcessor() {
    return new GrpcClientBeanPostProcessor();
  }

  @Bean
  static BeanFactoryPostProcessor grpcClientAutowireCandidateResolverInstaller() {
    return beanFactory -> {
      if (beanFactory instanceof DefaultListableBeanFactory factory) {
        GrpcClientAutowireCandidateResolver.install(factory);
      }
    };
  }
}
