package dev.grpcspring.benchmarks.client;

import dev.grpcspring.benchmarks.LoadShape;
import dev.grpcspring.benchmarks.ProcessStats;
import dev.grpcspring.benchmarks.Scenario;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * One client run: start the workers, warm up (at least until a first call has completed), measure
 * one window, stop. Latencies and allocation count only inside the window; failures count over the
 * whole run.
 */
public final class LoadRun {
  /** How long workers get to finish their last call after the window. */
  private static final long STOP_GRACE_MILLIS = 10_000;
  /** How long past the warm-up to wait for the first completed call before measuring anyway. */
  private static final long FIRST_CALL_GRACE_NANOS = 60_000_000_000L;

  /** Told when the measured window opens and closes (the harness samples the server then). */
  public interface PhaseListener {
    void measureStarted();

    void measureEnded();
  }

  private LoadRun() {}

  public static ClientResult run(
      LoadClient client,
      Scenario scenario,
      Duration warmup,
      Duration duration,
      PhaseListener listener)
      throws Exception {
    return run(client, scenario.shape(), warmup, duration, listener);
  }

  /** Runs any load shape (a scenario's, or a sweep point's). */
  public static ClientResult run(
      LoadClient client,
      LoadShape load,
      Duration warmup,
      Duration duration,
      PhaseListener listener)
      throws Exception {
    LoadMetrics metrics = new LoadMetrics(load.concurrency());
    long notStopped;
    Histogram window;
    long calls;
    long allocated;
    long windowNanos;
    try {
      client.start(load, metrics);
      Thread.sleep(warmup.toMillis());
      // A window that opens before the first call has completed measures this JVM starting (on
      // a busy machine that can outlast the warm-up), not the server: wait for one, bounded.
      long waitUntil = System.nanoTime() + FIRST_CALL_GRACE_NANOS;
      while (metrics.completedInWindow() == 0 && metrics.failedTotal() == 0
          && System.nanoTime() < waitUntil) {
        Thread.sleep(20);
      }

      metrics.resetWindow();
      listener.measureStarted();
      long allocBefore = ProcessStats.allocatedBytes();
      long t0 = System.nanoTime();
      Thread.sleep(duration.toMillis());
      window = metrics.windowHistogram();
      calls = metrics.completedInWindow();
      windowNanos = System.nanoTime() - t0;
      allocated = ProcessStats.allocatedBytes() - allocBefore;
      listener.measureEnded();

      notStopped = metrics.stopAndAwait(STOP_GRACE_MILLIS);
    } finally {
      client.close();
    }
    String failure = metrics.firstFailure();
    if (notStopped > 0 && failure == null) {
      failure = notStopped + " workers still had a call in flight " + STOP_GRACE_MILLIS
          + " ms after the run ended";
    }
    return new ClientResult(
        calls,
        metrics.failedTotal() + (notStopped > 0 ? notStopped : 0),
        windowNanos / 1e9,
        window.getValueAtPercentile(50) / 1e3,
        window.getValueAtPercentile(90) / 1e3,
        window.getValueAtPercentile(99) / 1e3,
        window.getValueAtPercentile(99.9) / 1e3,
        window.getMaxValue() / 1e3,
        calls > 0 ? (double) allocated / calls : 0,
        failure);
  }
}
