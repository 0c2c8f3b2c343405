package dev.grpcspring.interop;

import dev.grpcspring.Status;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Collects what a call sends back to a {@link StreamObserver}: every response, then how the call
 * ended. Interop cases wait on it with a bound, so a broken peer fails a case instead of hanging it.
 *
 * @param <T> the response type
 */
final class StreamRecorder<T> implements StreamObserver<T> {
  private final List<T> values = new ArrayList<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final CountDownLatch first = new CountDownLatch(1);
  private Throwable error;

  @Override
  public synchronized void onNext(T value) {
    values.add(value);
    first.countDown();
  }

  @Override
  public synchronized void onError(Throwable t) {
    error = t;
    first.countDown();
    done.countDown();
  }

  @Override
  public synchronized void onCompleted() {
    first.countDown();
    done.countDown();
  }

  /** Waits until the call ends; fails the case if it does not within the bound. */
  void awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException {
    if (!done.await(timeout, unit)) {
      throw new AssertionError("the call did not end within " + unit.toMillis(timeout) + " ms");
    }
  }

  /** Waits for the first response or the end of the call. */
  void awaitFirst(long timeout, TimeUnit unit) throws InterruptedException {
    if (!first.await(timeout, unit)) {
      throw new AssertionError("no response within " + unit.toMillis(timeout) + " ms");
    }
  }

  synchronized List<T> values() {
    return new ArrayList<>(values);
  }

  /** The call's error, or null if it completed OK (or has not ended). */
  synchronized Throwable error() {
    return error;
  }

  /** The status the call ended with: OK when it completed, else what its error carries. */
  synchronized Status status() {
    return error == null ? Status.OK : Status.fromThrowable(error);
  }
}
