package dev.grpcspring.stub;

/**
 * Receives a stream of values: any number of {@link #onNext}, then exactly one of
 * {@link #onError} or {@link #onCompleted}. Not thread-safe: calls must not overlap.
 *
 * @param <V> the value type
 */
public interface StreamObserver<V> {
  /** One more value. */
  void onNext(V value);

  /**
   * The stream ended with an error. On the server, a {@link dev.grpcspring.StatusException} sets the
   * status and trailers the client sees; any other throwable becomes UNKNOWN.
   */
  void onError(Throwable t);

  /** The stream ended successfully. */
  void onCompleted();
}
