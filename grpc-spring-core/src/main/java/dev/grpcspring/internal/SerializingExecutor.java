package dev.grpcspring.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order given, on a delegate executor: a callback serializer for
 * one call's listener. Tasks never overlap, and a task that throws is logged and does not stop the
 * ones after it. A task submitted from inside a running task runs after it, never nested, even on a
 * direct executor.
 *
 * <p>Made once per call, so it is small: the serializer is its own drain task and its queue an
 * array under the queue's own lock (a unary call's four callbacks fit without growing), where a
 * {@code ConcurrentLinkedQueue} took a node per task and the channel's {@link CallbackSerializer}
 * adds a close protocol a call does not need. The lock is held only to add or take a task.
 */
public final class SerializingExecutor implements Executor, Runnable {
  private static final Logger log = Logger.getLogger(SerializingExecutor.class.getName());
  /** Tasks run per delegate task before the thread goes back to the delegate (fairness). */
  private static final int BATCH = 256;

  private final Executor delegate;
  /** Pending tasks; also the lock for itself and {@link #draining}. */
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>(4);
  /** Whether a drain ({@link #run}) is scheduled or running. Guarded by {@link #queue}. */
  private boolean draining;

  public SerializingExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Queues {@code task} behind those submitted before it.
   *
   * @throws RejectedExecutionException when the delegate refuses to run the drain; the tasks
   *     waiting are then dropped
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (queue) {
      queue.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    schedule();
  }

  private void schedule() {
    try {
      delegate.execute(this);
    } catch (RejectedExecutionException e) {
      synchronized (queue) {
        draining = false;
        queue.clear();
      }
      throw e;
    }
  }

  /** The drain; only {@link #execute} schedules it. */
  @Override
  public void run() {
    for (int ran = 0; ; ran++) {
      Runnable task;
      synchronized (queue) {
        if (ran == BATCH && !queue.isEmpty()) {
          break; // still draining: the next drain task takes over
        }
        task = queue.poll();
        if (task == null) {
          draining = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.log(Level.SEVERE, "Exception while running a serialized callback", e);
      }
    }
    schedule();
  }
}
