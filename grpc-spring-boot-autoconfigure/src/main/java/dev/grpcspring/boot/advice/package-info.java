/** Exception handling for services: {@code @GrpcAdvice} beans whose {@code @GrpcExceptionHandler} methods map exceptions to statuses. */
package dev.grpcspring.boot.advice;
