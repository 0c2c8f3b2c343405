package dev.grpcspring.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded thread pool that hands each task straight to an idle thread when one is waiting,
 * starts a new thread only when none is (up to a maximum), and queues only once the maximum is
 * reached.
 *
 * <p>Why not a plain {@link ThreadPoolExecutor}: with an unbounded queue it starts a new thread for
 * every task until the core size is reached, even while others are idle, and then wakes its many
 * threads in turn, each with cold caches. A cached pool never queues, so it grows without bound
 * under load. This pool keeps as many threads as the real concurrency needs, bounded like a web
 * server's worker pool; idle threads end after the keep-alive.
 */
public final class HandoffExecutor {
  private HandoffExecutor() {}

  /**
   * A pool of at most {@code maxThreads} daemon threads named {@code namePrefix-N}, whose idle
   * threads end after {@code keepAlive}.
   */
  public static ExecutorService create(String namePrefix, int maxThreads, long keepAlive,
      TimeUnit unit) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
    }
    AtomicInteger live = new AtomicInteger();
    HandoffQueue queue = new HandoffQueue(live, maxThreads);
    AtomicInteger ids = new AtomicInteger();
    ThreadFactory threads = task -> {
      Thread t = new Thread(() -> {
        try {
          task.run();
        } finally {
          live.decrementAndGet();
        }
      }, namePrefix + "-" + ids.incrementAndGet());
      t.setDaemon(true);
      live.incrementAndGet();
      return t;
    };
    return new ThreadPoolExecutor(0, maxThreads, keepAlive, unit, queue, threads,
        (task, pool) -> {
          // The pool reached its maximum between our size check and its thread start: queue it.
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("Executor " + namePrefix + " is shut down");
          }
          queue.force(task);
        });
  }

  /**
   * Tells the pool to start a thread (by refusing the task) while it is below its maximum and no
   * idle thread took the task.
   */
  private static final class HandoffQueue extends LinkedTransferQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private final transient AtomicInteger live;
    private final int maxThreads;

    HandoffQueue(AtomicInteger live, int maxThreads) {
      this.live = live;
      this.maxThreads = maxThreads;
    }

    @Override
    public boolean offer(Runnable task) {
      if (tryTransfer(task)) {
        return true;
      }
      if (live.get() < maxThreads) {
        return false;
      }
      return super.offer(task);
    }

    void force(Runnable task) {
      super.offer(task);
    }
  }
}
