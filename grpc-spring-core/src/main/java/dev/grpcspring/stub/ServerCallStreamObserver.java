package dev.grpcspring.stub;

/**
 * The response observer a server handler gets, with what a server can ask of its call.
 *
 * @param <RespT> the response message type
 */
public abstract class ServerCallStreamObserver<RespT> extends CallStreamObserver<RespT> {
  /** Whether the client cancelled the call, its deadline passed, or the server is shutting down. */
  public abstract boolean isCancelled();

  /**
   * Runs {@code handler} if the call is cancelled. Set it in the method body; without one, a
   * cancelled call's later {@code onNext} throws a CANCELLED {@link dev.grpcspring.StatusException}.
   */
  public abstract void setOnCancelHandler(Runnable handler);

  /** Runs {@code handler} once the call's status has been sent. */
  public abstract void setOnCloseHandler(Runnable handler);

  /** Compresses responses with the named compressor, if the client accepts it. */
  public abstract void setCompression(String compression);
}
