package dev.grpcspring.stub;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * An executor with no threads of its own: tasks queue until the one thread that waits on a blocking
 * call runs them in {@link #waitAndDrain()}. Blocking stubs use it so that response callbacks run on
 * the caller's thread, saving a thread hop per call.
 */
final class ThreadlessExecutor implements Executor {
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private volatile @Nullable Thread waiter;
  private volatile boolean shutdown;

  /** Blocks until at least one task is queued, then runs every queued task. */
  void waitAndDrain() throws InterruptedException {
    Runnable task = queue.poll();
    if (task == null) {
      waiter = Thread.currentThread();
      try {
        while ((task = queue.poll()) == null) {
          LockSupport.park(this);
          if (Thread.interrupted()) {
            throw new InterruptedException("Interrupted while waiting for the call's response");
          }
        }
      } finally {
        waiter = null;
      }
    }
    do {
      task.run();
    } while ((task = queue.poll()) != null);
  }

  /**
   * Runs whatever is queued and refuses later tasks; called once the call is over so that late
   * callbacks (onReady, say) run rather than sit in a dead queue.
   */
  void shutdown() {
    shutdown = true;
    Runnable task;
    while ((task = queue.poll()) != null) {
      task.run();
    }
  }

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      // The caller has its result; run stragglers inline so nothing is silently dropped.
      task.run();
      return;
    }
    queue.add(task);
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  @Override
  public String toString() {
    return "ThreadlessExecutor{queued=" + queue.size() + ", shutdown=" + shutdown + "}";
  }
}
