package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.advice.GrpcExceptionHandlerMethodResolver;
import dev.grpcspring.boot.advice.GrpcExceptionInterceptor;
import dev.grpcspring.boot.advice.GrpcExceptionTranslator;
import java.util.ArrayList;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Exception handling for services: {@link GrpcAdvice} beans and the error boundary every service
 * call passes through.
 */
@AutoConfiguration
@ConditionalOnClass(name = "dev.grpcspring.server.ServerServiceDefinition")
@ConditionalOnBooleanProperty(name = "grpc.server.enabled", matchIfMissing = true)
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
