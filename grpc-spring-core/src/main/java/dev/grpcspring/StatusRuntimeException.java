package dev.grpcspring;

import org.jspecify.annotations.Nullable;

/**
 * The {@link StatusException} that stubs throw and hand to observers and futures when a call fails,
 * named as in grpc-java so that code written against grpc-java's stubs ({@code catch
 * (StatusRuntimeException e)}) keeps working. Catching {@link StatusException} catches it too.
 */
public class StatusRuntimeException extends StatusException {
  private static final long serialVersionUID = 1L;

  public StatusRuntimeException(Status status) {
    super(status);
  }

  public StatusRuntimeException(Status status, @Nullable Metadata trailers) {
    super(status, trailers);
  }
}
