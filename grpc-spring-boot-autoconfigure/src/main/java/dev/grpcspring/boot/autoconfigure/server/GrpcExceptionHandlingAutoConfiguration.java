package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.advice.GrpcExceptionHandlerMethodResolver;
import dev.grpcspring.boot.advice.GrpcExceptionInterceptor;
import dev.grpcspring.boot.advice.GrpcExceptionTranslator;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import java.util.ArrayList;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Exception handling for services: {@link GrpcAdvice} beans and the error boundary every service
 * call passes through. Only when the gRPC server starts.
 */
@AutoConfiguration(after = GrpcServerAutoConfiguration.class)
@ConditionalOnClass(name = "dev.grpcspring.server.ServerServiceDefinition")
@ConditionalOnBean(GrpcServerLifecycle.class)
public final class GrpcExceptionHandlingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  GrpcExceptionHandlerMethodResolver grpcExceptionHandlerMethodResolver(
      ListableBeanFactory beanFactory) {
    return new GrpcExceptionHandlerMethodResolver(
        new ArrayList<>(beanFactory.getBeansWithAnnotation(GrpcAdvice.class).values()));
  }

  @Bean
  @ConditionalOnMissingBean
  GrpcExceptionTranslator grpcExceptionTranslator(GrpcExceptionHandlerMethodResolver resolver) {
    return new GrpcExceptionTranslator(resolver);
  }

  @Bean
  @ConditionalOnMissingBean
  GrpcExceptionInterceptor grpcExceptionInterceptor(GrpcExceptionTranslator translator) {
    return new GrpcExceptionInterceptor(translator);
  }
}
