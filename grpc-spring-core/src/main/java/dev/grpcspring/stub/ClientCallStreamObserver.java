package dev.grpcspring.stub;

import org.jspecify.annotations.Nullable;

/**
 * The request observer a client gets for streaming calls, with cancellation.
 *
 * @param <ReqT> the request message type
 */
public abstract class ClientCallStreamObserver<ReqT> extends CallStreamObserver<ReqT> {
  /**
   * Cancels the call; the response observer gets {@code onError} with CANCELLED.
   *
   * @param message why, for people; may be null
   * @param cause the local cause; may be null
   */
  public abstract void cancel(@Nullable String message, @Nullable Throwable cause);
}
