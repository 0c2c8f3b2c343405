package dev.grpcspring.boot.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Component;

/**
 * Marks a {@link dev.grpcspring.interceptor.ClientInterceptor} bean (a class or a {@code @Bean}
 * method) that applies to every channel. Global interceptors are ordered by
 * {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered}, lowest first; the first sees each call first.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface GrpcGlobalClientInterceptor {}
