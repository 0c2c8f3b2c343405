package dev.grpcspring.boot.advice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link GrpcAdvice} bean that handles exceptions of the listed types (or, when
 * none are listed, of its parameter's type). The handler for the most specific type wins.
 *
 * <p>The method takes the exception (or nothing) and may also take the
 * {@link dev.grpcspring.MethodDescriptor} of the failed call and its request
 * {@link dev.grpcspring.Metadata}. It returns a {@link dev.grpcspring.Status} (sent with empty
 * trailers), a {@link dev.grpcspring.StatusException} (sent with its trailers), or throws one.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GrpcExceptionHandler {

  /** Exception types handled; the parameter's type when empty. */
  Class<? extends Throwable>[] value() default {};
}
