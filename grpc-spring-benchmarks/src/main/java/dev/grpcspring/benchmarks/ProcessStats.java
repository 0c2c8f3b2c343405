package dev.grpcspring.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Counters of this JVM that benchmarks report per call: CPU time of the process, bytes allocated by
 * its live threads, and the heap still in use after the last collection.
 */
public final class ProcessStats {
  private static final com.sun.management.ThreadMXBean THREADS = threads();
  private static final com.sun.management.OperatingSystemMXBean OS = os();

  private ProcessStats() {}

  private static com.sun.management.ThreadMXBean threads() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean)) {
      throw new IllegalStateException(
          "This JVM has no com.sun.management.ThreadMXBean; run the benchmarks on a HotSpot JDK");
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
      threads.setThreadAllocatedMemoryEnabled(true);
    }
    return threads;
  }

  private static com.sun.management.OperatingSystemMXBean os() {
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (!(bean instanceof com.sun.management.OperatingSystemMXBean)) {
      throw new IllegalStateException(
          "This JVM has no com.sun.management.OperatingSystemMXBean; run on a HotSpot JDK");
    }
    return (com.sun.management.OperatingSystemMXBean) bean;
  }

  /** CPU time used by this process so far, in nanoseconds. */
  public static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  /**
   * Bytes allocated so far by the threads alive now. A thread that ended takes its count with it,
   * so take differences over windows in which the worker threads stay up (they do in a benchmark).
   */
  public static long allocatedBytes() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    long sum = 0;
    for (long b : bytes) {
      if (b > 0) {
        sum += b;
      }
    }
    return sum;
  }

  /**
   * Heap in use right after the most recent collection, summed over the heap pools: the live set,
   * without forcing a collection that would disturb a running measurement.
   */
  public static long liveHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        if (afterGc != null) {
          sum += afterGc.getUsed();
        }
      }
    }
    return sum;
  }
}
