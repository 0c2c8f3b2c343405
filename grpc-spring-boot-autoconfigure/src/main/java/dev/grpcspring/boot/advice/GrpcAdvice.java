package dev.grpcspring.boot.advice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Component;

/**
 * Marks a bean whose {@link GrpcExceptionHandler} methods turn exceptions thrown while serving a
 * call (by a service method, in any streaming shape, or by a server interceptor) into the status
 * and trailers the client receives. The gRPC counterpart of {@code @ControllerAdvice}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface GrpcAdvice {}
