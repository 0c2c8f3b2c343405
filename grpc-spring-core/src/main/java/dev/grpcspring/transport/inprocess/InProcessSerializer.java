package dev.grpcspring.transport.inprocess;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Runs one side of an in-process stream one task at a time, in order: it plays the part the event
 * loop plays for HTTP/2. A task runs on the thread that submits it when no other task is running
 * (no thread hop on the hot path); one submitted from inside a running task runs after it, never
 * nested.
 *
 * <p>The client's call code holds its call lock while it works its stream, and the stream's
 * listener takes that lock. So when the side with a hand-off executor (the client's) is asked to
 * run work on a thread that is inside a client stream operation, the work goes to that executor
 * instead of running under the caller's lock; see {@link #enterClientOperation()}.
 */
final class InProcessSerializer {
  private static final Logger log = Logger.getLogger(InProcessSerializer.class.getName());
  /** Per thread: how deep it is in client stream operations. */
  private static final ThreadLocal<int[]> CLIENT_OPERATIONS = ThreadLocal.withInitial(() -> new int[1]);

  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  /** Null: always run on the submitting thread. */
  private final @Nullable Executor handOff;
  private final Runnable drain = this::drain;

  InProcessSerializer(@Nullable Executor handOff) {
    this.handOff = handOff;
  }

  /**
   * Marks the current thread as inside a client stream operation until the returned counter is
   * passed to {@link #exitClientOperation}.
   */
  static int[] enterClientOperation() {
    int[] depth = CLIENT_OPERATIONS.get();
    depth[0]++;
    return depth;
  }

  static void exitClientOperation(int[] depth) {
    depth[0]--;
  }

  void execute(Runnable task) {
    queue.add(task);
    if (running.compareAndSet(false, true)) {
      dispatch();
    } // else the running drain picks it up
  }

  /**
   * Runs {@code task} on this thread, now, if no other task is running and {@code quiet} says the
   * task will call no listener; otherwise queues it as {@link #execute} does. For work that is
   * usually quiet (asking for more messages while none is buffered), so that it costs no hand-off.
   */
  void executeQuietly(BooleanSupplier quiet, Runnable task) {
    if (!running.compareAndSet(false, true)) {
      execute(task);
      return;
    }
    // Only with nothing queued before it: tasks run in the order given.
    if (queue.isEmpty() && quiet.getAsBoolean()) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.log(Level.SEVERE, "Exception in in-process stream work", e);
      }
    } else {
      queue.add(task);
    }
    if (!queue.isEmpty()) {
      dispatch();
      return;
    }
    running.set(false);
    // A task queued between the check and the release is drained by whoever takes it here.
    if (!queue.isEmpty() && running.compareAndSet(false, true)) {
      dispatch();
    }
  }

  /** Drains the queue; the caller holds {@link #running}. */
  private void dispatch() {
    if (handOff != null && CLIENT_OPERATIONS.get()[0] > 0) {
      try {
        handOff.execute(drain);
        return;
      } catch (RejectedExecutionException e) {
        // The executor is shutting down: run here rather than lose the stream's events.
        log.log(Level.FINE, "Hand-off executor refused in-process work; running it here", e);
      }
    }
    drain();
  }

  private void drain() {
    do {
      Runnable task;
      while ((task = queue.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.log(Level.SEVERE, "Exception in in-process stream work", e);
        }
      }
      running.set(false);
    } while (!queue.isEmpty() && running.compareAndSet(false, true));
  }
}
