package dev.grpcspring.benchmarks.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the workers of one load run report to: latencies, completed and failed calls, and when
 * they have all stopped. Thread-safe and wait-free on the recording path.
 */
public final class LoadMetrics {
  private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final CountDownLatch workersDone;
  private volatile boolean running = true;

  public LoadMetrics(int workers) {
    this.workersDone = new CountDownLatch(workers);
  }

  /** Whether workers should start another call. */
  public boolean running() {
    return running;
  }

  /** A call (or ping-pong round trip) that started at {@code startNanos} completed fine. */
  public void completed(long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    completed.increment();
  }

  /** A call failed; the worker that made it stops. */
  public void failed(String what) {
    failed.increment();
    firstFailure.compareAndSet(null, what);
  }

  /** A worker has stopped for good (it saw {@link #running()} false, or its call failed). */
  public void workerDone() {
    workersDone.countDown();
  }

  /** Starts a new measurement window: returns and clears what was recorded so far. */
  Histogram resetWindow() {
    completed.reset();
    return recorder.getIntervalHistogram();
  }

  /** Ends the window: latencies recorded since {@link #resetWindow()}. */
  Histogram windowHistogram() {
    return recorder.getIntervalHistogram();
  }

  long completedInWindow() {
    return completed.sum();
  }

  long failedTotal() {
    return failed.sum();
  }

  String firstFailure() {
    return firstFailure.get();
  }

  /** Tells workers to stop and waits until they have, at most {@code timeoutMillis}. */
  long stopAndAwait(long timeoutMillis) throws InterruptedException {
    running = false;
    workersDone.await(timeoutMillis, TimeUnit.MILLISECONDS);
    return workersDone.getCount();
  }
}
