package dev.grpcspring.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order given, on a delegate executor: a callback serializer for
 * one call's listener. Tasks never overlap, and a task that throws is logged and does not stop the
 * ones after it. A task submitted from inside a running task runs after it, never nested.
 */
public final class SerializingExecutor implements Executor {
  private static final Logger log = Logger.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Runnable drain = this::drain;

  public SerializingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    schedule();
  }

  private void schedule() {
    if (running.compareAndSet(false, true)) {
      try {
        delegate.execute(drain);
      } catch (RejectedExecutionException e) {
        running.set(false);
        queue.clear();
        throw e;
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = queue.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.log(Level.SEVERE, "Exception while running a serialized callback", e);
        }
      }
    } finally {
      running.set(false);
      if (!queue.isEmpty()) {
        schedule();
      }
    }
  }
}
