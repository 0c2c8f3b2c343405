package dev.grpcspring.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The task queue of {@link ElasticExecutor}: unbounded, FIFO, with a blocking poll that times out.
 * Tasks sit in an array ({@link ArrayDeque}) under one lock rather than in linked nodes:
 * LinkedBlockingQueue allocated a 24-byte node per task, and a server call hands its callbacks to
 * the pool about three times (JFR: ~2.5% of a unary call's bytes, and one node per streamed
 * message). Emptiness and size are read without the lock, as LinkedBlockingQueue's are.
 */
final class TaskQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  /** Past this many queued at once, the array is dropped once it empties (it never shrinks). */
  private static final int SHRINK_ABOVE = 4096;

  private ArrayDeque<Runnable> tasks = new ArrayDeque<>(64);
  /** The most tasks queued at once since the array was made. */
  private int peak;
  /** tasks.size(), written under the lock. */
  private volatile int size;

  void offer(Runnable task) {
    lock.lock();
    try {
      tasks.addLast(task);
      int n = tasks.size();
      size = n;
      if (n > peak) {
        peak = n;
      }
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code batch} in order and wakes one waiting worker, not one per task: a worker that
   * takes a task while more are left wakes the next itself, so the caller (an event loop handing
   * over a read's calls) pays for one wake-up however many tasks it queues.
   */
  void offerAll(List<? extends Runnable> batch) {
    lock.lock();
    try {
      for (int i = 0; i < batch.size(); i++) {
        tasks.addLast(batch.get(i));
      }
      int n = tasks.size();
      size = n;
      if (n > peak) {
        peak = n;
      }
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The oldest task, or null at once when there is none. */
  @Nullable Runnable poll() {
    if (size == 0) {
      return null;
    }
    lock.lock();
    try {
      return take();
    } finally {
      lock.unlock();
    }
  }

  /** The oldest task, waiting up to {@code timeout} for one; null if none came. */
  @Nullable Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (tasks.isEmpty()) {
        if (nanos <= 0L) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return take();
    } finally {
      lock.unlock();
    }
  }

  private @Nullable Runnable take() {
    Runnable task = tasks.pollFirst();
    int n = tasks.size();
    size = n;
    if (n > 0) {
      notEmpty.signal(); // more left: another waiting worker may take the next (offer signals one)
    } else if (peak > SHRINK_ABOVE) {
      tasks = new ArrayDeque<>(64); // a burst is over: give its memory back
      peak = 0;
    }
    return task;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Removes the first occurrence of {@code task}; returns whether it was there. */
  boolean remove(Runnable task) {
    lock.lock();
    try {
      boolean removed = tasks.removeFirstOccurrence(task);
      size = tasks.size();
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** Moves every task to {@code out}, oldest first. */
  void drainTo(List<Runnable> out) {
    lock.lock();
    try {
      out.addAll(tasks);
      tasks.clear();
      size = 0;
    } finally {
      lock.unlock();
    }
  }

  /** The number of tasks other than {@code marker}. */
  int countExcept(Runnable marker) {
    lock.lock();
    try {
      int n = 0;
      for (Runnable r : tasks) {
        if (r != marker) {
          n++;
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }
}
