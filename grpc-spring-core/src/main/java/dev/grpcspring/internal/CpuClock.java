package dev.grpcspring.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Tells a pool thread that computes, or waits for a core, from one that is blocked: only the
 * first one's CPU clock moves, and on Linux the kernel says which threads are runnable.
 *
 * <p>Why both: a thread blocked in a socket read (a JDBC query, a blocking HTTP call) is
 * {@link Thread.State#RUNNABLE} to the JVM, so its state alone does not tell; and on a busy
 * machine (or a container at its CPU quota) a runnable thread can wait tens of milliseconds for a
 * core, so a clock that stood still does not tell either. More threads help the first and hurt
 * the second.
 */
final class CpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean MEASURED = measured();
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  /** Stands in for a reading of a runnable thread where there is none: always "moved". */
  private static long fallbackTick;

  private CpuClock() {}

  private static boolean measured() {
    try {
      return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /** A value that changes while {@code thread} uses CPU and stands still while it does not. */
  static long threadCpuNanos(Thread thread) {
    if (MEASURED) {
      long nanos = THREADS.getThreadCpuTime(thread.getId());
      if (nanos >= 0) {
        return nanos;
      }
    }
    Thread.State state = thread.getState();
    if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
        || state == Thread.State.BLOCKED) {
      return -1;
    }
    return ++fallbackTick; // called from the monitor thread only
  }

  /**
   * The kernel's status file of the calling thread ({@code /proc/<pid>/task/<tid>/stat}), or null
   * where there is none (not Linux).
   */
  static @Nullable Path currentThreadStat() {
    try {
      return Path.of("/proc").resolve(Files.readSymbolicLink(THREAD_SELF)).resolve("stat");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null; // no procfs: blocked threads are told by their clocks alone
    }
  }

  /**
   * Whether a thread whose CPU clock stood still is blocked rather than waiting for a core: a
   * thread the JVM sees waiting is; otherwise the kernel's state decides ({@code R}: runnable,
   * waiting for a core), and without it the clock alone.
   */
  static boolean isBlocked(Thread thread, @Nullable Path stat) {
    Thread.State state = thread.getState();
    if (state != Thread.State.RUNNABLE) {
      return state != Thread.State.TERMINATED;
    }
    if (stat == null) {
      return true;
    }
    try {
      String line = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
      int end = line.lastIndexOf(')'); // the command name may hold spaces and parentheses
      return end < 0 || end + 2 >= line.length() || line.charAt(end + 2) != 'R';
    } catch (IOException e) {
      return true; // the thread ended meanwhile; the next look no longer sees it
    }
  }
}
