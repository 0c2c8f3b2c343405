package dev.grpcspring.stub;

/**
 * A {@link StreamObserver} for one side of a call, with flow control.
 *
 * @param <V> the value type
 */
public abstract class CallStreamObserver<V> implements StreamObserver<V> {
  /** Whether {@link #onNext} can be called without buffering beyond the transport's threshold. */
  public abstract boolean isReady();

  /**
   * Runs {@code handler} each time the call becomes ready after not being ready. Set it before the
   * call starts (in the method body, or in {@code beforeStart} on the client).
   */
  public abstract void setOnReadyHandler(Runnable handler);

  /**
   * Stops asking for the next inbound message automatically; the application then calls
   * {@link #request} itself. Call before the call starts.
   */
  public abstract void disableAutoInboundFlowControl();

  /** Asks for up to {@code count} more inbound messages. */
  public abstract void request(int count);

  /** Enables or disables compression for following messages. */
  public abstract void setMessageCompression(boolean enable);
}
