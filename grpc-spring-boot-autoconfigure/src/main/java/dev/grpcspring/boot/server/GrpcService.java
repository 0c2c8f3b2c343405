package dev.grpcspring.boot.server;

import dev.grpcspring.interceptor.ServerInterceptor;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Service;

/**
 * Marks a gRPC service implementation (a generated {@code ImplBase} subclass, or any
 * {@link dev.grpcspring.server.BindableService}) for registration on the gRPC server. Put it on the
 * class, which also makes it a component, or on a {@code @Bean} method that returns the service.
 *
 * <p>Calls reach the service through the global interceptors ({@link GrpcGlobalServerInterceptor}
 * beans, by {@code @Order}), then the ones listed here, in the order given.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Service
public @interface GrpcService {

  /** Bean name, when this marks a class. */
  @AliasFor(annotation = Service.class)
  String value() default "";

  /**
   * Interceptors for this service only, by type: the bean of that type if there is exactly one,
   * else a new instance made through its no-argument constructor.
   */
  Class<? extends ServerInterceptor>[] interceptors() default {};

  /** Interceptors for this service only, by bean name; they run after {@link #interceptors()}. */
  String[] interceptorNames() default {};

  /** Whether the global interceptors also apply to this service. */
  boolean applyGlobalInterceptors() default true;
}
