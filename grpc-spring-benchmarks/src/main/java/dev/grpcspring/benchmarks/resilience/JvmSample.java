package dev.grpcspring.benchmarks.resilience;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * One look at this JVM's health: heap in use right after a full collection, live threads and
 * open file descriptors (-1 where the OS does not say).
 *
 * @param elapsedSeconds since the run started
 */
record JvmSample(double elapsedSeconds, long heapAfterGcBytes, int threads, long openFds) {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  /** Collects garbage (twice, so finalizable and reference-queued objects go too), then looks. */
  static JvmSample take(double elapsedSeconds) {
    System.gc();
    System.gc();
    long fds = ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getOpenFileDescriptorCount() : -1;
    return new JvmSample(elapsedSeconds, MEMORY.getHeapMemoryUsage().getUsed(),
        ManagementFactory.getThreadMXBean().getThreadCount(), fds);
  }

  /**
   * The least-squares slope of heap after GC, in MiB per minute, over {@code samples} (NaN for
   * fewer than two). A leak shows as a steady positive slope.
   */
  static double heapSlopeMibPerMinute(List<JvmSample> samples) {
    int n = samples.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (JvmSample s : samples) {
      mx += s.elapsedSeconds / 60.0;
      my += s.heapAfterGcBytes / (1024.0 * 1024.0);
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (JvmSample s : samples) {
      double dx = s.elapsedSeconds / 60.0 - mx;
      num += dx * (s.heapAfterGcBytes / (1024.0 * 1024.0) - my);
      den += dx * dx;
    }
    return den == 0 ? Double.NaN : num / den;
  }

  String line() {
    return String.format("%8.0fs  heap-after-gc %7.1f MiB  threads %4d  fds %5d", elapsedSeconds,
        heapAfterGcBytes / (1024.0 * 1024.0), threads, openFds);
  }
}
