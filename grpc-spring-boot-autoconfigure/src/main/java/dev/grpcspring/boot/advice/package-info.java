/** Exception handling for services: {@code @GrpcAdvice} beans whose {@code @GrpcExceptionHandler} methods map exceptions to statuses. */
@NullMarked
package dev.grpcspring.boot.advice;

import org.jspecify.annotations.NullMarked;
