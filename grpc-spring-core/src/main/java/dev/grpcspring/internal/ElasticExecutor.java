package dev.grpcspring.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded thread pool that starts a thread only when every thread it has is busy, up to a
 * maximum, and queues otherwise; idle threads end after the keep-alive.
 *
 * <p>Why not a plain {@link ThreadPoolExecutor}: with an unbounded queue it starts a new thread for
 * every task until the core size is reached, even while others are idle, and then rotates work
 * through all of them, each with cold caches. A cached pool never queues, so it grows without
 * bound under load, and it wakes one thread per task, a system call on the submitting event loop
 * each time. Here the queue is a {@link LinkedBlockingQueue}, which signals a waiting thread only
 * when it goes from empty to not empty and lets busy threads take queued tasks without parking,
 * and the pool holds about as many threads as the real concurrency (as Tomcat's worker pool).
 */
public final class ElasticExecutor extends ThreadPoolExecutor {
  /** Tasks accepted and not yet finished: more than the live threads means all are busy. */
  private final AtomicInteger unfinished = new AtomicInteger();
  private final String name;

  private ElasticExecutor(String name, int maxThreads, long keepAlive, TimeUnit unit,
      TaskQueue queue, ThreadFactory threads) {
    super(0, maxThreads, keepAlive, unit, queue, threads, new ForceQueue(name));
    this.name = name;
  }

  /**
   * A pool of at most {@code maxThreads} daemon threads named {@code namePrefix-N}, whose idle
   * threads end after {@code keepAlive}.
   */
  public static ElasticExecutor create(String namePrefix, int maxThreads, long keepAlive,
      TimeUnit unit) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
    }
    AtomicInteger live = new AtomicInteger();
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
    TaskQueue queue = new TaskQueue(live, maxThreads);
    ElasticExecutor pool = new ElasticExecutor(namePrefix, maxThreads, keepAlive, unit, queue,
        threads);
    queue.unfinished = pool.unfinished;
    return pool;
  }

  @Override
  public void execute(Runnable command) {
    unfinished.incrementAndGet();
    try {
      super.execute(command);
    } catch (RuntimeException | Error e) {
      unfinished.decrementAndGet();
      throw e;
    }
  }

  @Override
  protected void afterExecute(Runnable r, Throwable t) {
    unfinished.decrementAndGet();
  }

  @Override
  public String toString() {
    return "ElasticExecutor[" + name + ", " + super.toString() + "]";
  }

  /** Refuses a task (so the pool starts a thread) only while all threads are busy. */
  private static final class TaskQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private final transient AtomicInteger live;
    private final int maxThreads;
    private transient AtomicInteger unfinished;

    TaskQueue(AtomicInteger live, int maxThreads) {
      this.live = live;
      this.maxThreads = maxThreads;
    }

    @Override
    public boolean offer(Runnable task) {
      int threads = live.get();
      if (threads < maxThreads && unfinished.get() > threads) {
        return false;
      }
      return super.offer(task);
    }

    void force(Runnable task) {
      super.offer(task);
    }
  }

  /** The pool reached its maximum between the queue's check and its thread start: queue it. */
  private record ForceQueue(String name) implements RejectedExecutionHandler {
    @Override
    public void rejectedExecution(Runnable task, ThreadPoolExecutor pool) {
      if (pool.isShutdown()) {
        throw new RejectedExecutionException("Executor " + name + " is shut down");
      }
      ((TaskQueue) pool.getQueue()).force(task);
    }
  }
}
