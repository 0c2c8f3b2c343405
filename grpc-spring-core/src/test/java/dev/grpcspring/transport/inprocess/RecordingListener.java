package dev.grpcspring.transport.inprocess;

import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A client call listener that records what it hears, for tests that drive a ClientCall. */
final class RecordingListener<T> extends ClientCall.Listener<T> {
  final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
  final Semaphore ready = new Semaphore(0);
  final CountDownLatch closed = new CountDownLatch(1);
  volatile Status status;
  volatile Metadata trailers;

  @Override
  public void onMessage(T message) {
    messages.add(message);
  }

  @Override
  public void onReady() {
    ready.release();
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    this.status = status;
    this.trailers = trailers;
    closed.countDown();
  }

  Status awaitClose() throws InterruptedException {
    if (!closed.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("The call did not close within 30 s");
    }
    return status;
  }
}
