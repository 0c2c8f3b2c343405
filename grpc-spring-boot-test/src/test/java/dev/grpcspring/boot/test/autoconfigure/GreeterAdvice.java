package dev.grpcspring.boot.test.autoconfigure;

import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.advice.GrpcExceptionHandler;

/** Maps the service's IllegalArgumentException to INVALID_ARGUMENT. */
@GrpcAdvice
public class GreeterAdvice {

  @GrpcExceptionHandler(IllegalArgumentException.class)
  StatusException invalid(IllegalArgumentException e) {
    return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
  }
}
