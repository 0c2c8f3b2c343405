package dev.grpcspring.boot.client;

import dev.grpcspring.interceptor.ClientInterceptor;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a client of the channel named {@link #value()}, configured under
 * {@code grpc.client.channel.<name>}. Works on fields, setter methods and constructor or
 * {@code @Bean} method parameters. The member's type decides what is injected: a generated stub
 * (blocking, future or async), or the {@link dev.grpcspring.Channel} itself.
 *
 * <p>Stubs carry the channel's default call options (deadline, wait-for-ready, compression, message
 * sizes); calls go through the global client interceptors, the channel's configured interceptors,
 * then the ones listed here.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GrpcClient {

  /** Name of the channel, the key under {@code grpc.client.channel}. */
  String value();

  /**
   * Interceptors for this client only, by type: the bean of that type if there is exactly one,
   * else a new instance made through its no-argument constructor.
   */
  Class<? extends ClientInterceptor>[] interceptors() default {};

  /** Interceptors for this client only, by bean name; they run after {@link #interceptors()}. */
  String[] interceptorNames() default {};
}
