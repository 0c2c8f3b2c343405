package dev.grpcspring.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a fake clock: nothing runs until the test calls {@link
 * #runDueTasks()} or {@link #forwardTime}. Tasks run on the test's thread, in due-time order, so
 * timer logic is tested deterministically. Thread-safe for submission.
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long nowNanos;
  private long sequence;
  private boolean shutdown;

  /** The fake clock, for code that takes a {@code LongSupplier} nano clock. */
  public synchronized long nanoTime() {
    return nowNanos;
  }

  /** Moves the clock forward, running every task that falls due on the way, in order. */
  public int forwardTime(long amount, TimeUnit unit) {
    long target;
    synchronized (this) {
      target = nowNanos + unit.toNanos(amount);
    }
    int ran = 0;
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueNanos > target) {
          nowNanos = target;
          return ran;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.dueNanos);
      }
      next.run();
      ran++;
    }
  }

  /** Runs every task due now (including ones those tasks submit for now). */
  public int runDueTasks() {
    return forwardTime(0, TimeUnit.NANOSECONDS);
  }

  /** Tasks not yet run or cancelled. */
  public synchronized int pendingTasks() {
    queue.removeIf(Task::isCancelled);
    return queue.size();
  }

  /** Due times (relative to now, in ms) of the pending tasks, soonest first. */
  public synchronized List<Long> pendingDelaysMillis() {
    queue.removeIf(Task::isCancelled);
    List<Task<?>> tasks = new ArrayList<>(queue);
    tasks.sort(null);
    List<Long> delays = new ArrayList<>();
    for (Task<?> t : tasks) {
      delays.add(TimeUnit.NANOSECONDS.toMillis(t.dueNanos - nowNanos));
    }
    return delays;
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, delay, unit));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(null, callable, delay, unit));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("FakeScheduler has no periodic tasks");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("FakeScheduler has no periodic tasks");
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("FakeScheduler is shut down");
    }
    queue.add(task);
    return task;
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long dueNanos;
    final long seq;

    Task(Runnable runnable, Callable<V> callable, long delay, TimeUnit unit) {
      super(callable != null ? callable : java.util.concurrent.Executors.callable(runnable, null));
      synchronized (FakeScheduler.this) {
        this.dueNanos = nowNanos + Math.max(0, unit.toNanos(delay));
        this.seq = sequence++;
      }
    }

    @Override
    public void run() {
      super.run();
      if (!isCancelled()) {
        try {
          get();
        } catch (ExecutionException e) {
          throw new AssertionError("A FakeScheduler task threw", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> other = (Task<?>) o;
      int c = Long.compare(dueNanos, other.dueNanos);
      return c != 0 ? c : Long.compare(seq, other.seq);
    }
  }
}
