package dev.grpcspring.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs submitted callbacks one at a time, in submission order, on an executor (grpc-go's {@code
 * grpcsync.CallbackSerializer}, grpc-java's {@code SynchronizationContext}). A channel uses one for
 * all its resolver and balancer work, so that work needs no locks of its own.
 *
 * <p>Callbacks never run on the submitting thread, not even when submitted from inside another
 * callback: they are queued and run after the current one returns. The serializer holds no thread of
 * its own; it borrows one from the executor while it has work and gives it back when the queue is
 * empty (or after a batch, so a busy channel does not monopolize a shared pool). The executor must
 * run tasks on another thread (not a direct executor).
 *
 * <p>A callback that throws is logged and does not stop the ones after it.
 *
 * <p>Closing: {@link #close()} refuses new callbacks and still runs everything already accepted;
 * {@link #closeAndDiscard()} refuses new callbacks and drops everything not yet started. Either way
 * {@link #closed()} completes once the last callback has finished.
 */
public final class CallbackSerializer implements Executor {
  private static final System.Logger logger = System.getLogger(CallbackSerializer.class.getName());

  /** Callbacks run per executor task before yielding the thread back to the executor. */
  private static final int BATCH = 256;

  private final Executor executor;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  /** Submissions not yet accounted for by a drain; the submitter that moves it from 0 drains. */
  private final AtomicInteger pending = new AtomicInteger();
  /** Guards only the closed check plus the enqueue, so nothing is accepted after the sentinel. */
  private final Object acceptLock = new Object();
  private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
  private final Runnable drainTask = this::drain;

  private boolean closed; // guarded by acceptLock
  private volatile boolean discarding;
  private volatile @Nullable Thread drainingThread;

  /**
   * A serializer that runs its callbacks on {@code executor}.
   *
   * @param executor runs the drain tasks; must not run them on the submitting thread
   */
  public CallbackSerializer(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Queues {@code callback} to run after every callback submitted before it.
   *
   * @return false when the serializer is closed and the callback will never run
   */
  public boolean trySchedule(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    synchronized (acceptLock) {
      if (closed) {
        return false;
      }
      queue.add(callback);
    }
    signal();
    return true;
  }

  /**
   * Like {@link #trySchedule}, for code that wants an {@link Executor}.
   *
   * @throws RejectedExecutionException when the serializer is closed
   */
  @Override
  public void execute(Runnable command) {
    if (!trySchedule(command)) {
      throw new RejectedExecutionException("The callback serializer is closed");
    }
  }

  /**
   * Refuses new callbacks; those already accepted still run, in order. Idempotent. {@link #closed()}
   * completes after the last one.
   */
  public void close() {
    closeInternal(false);
  }

  /**
   * Refuses new callbacks and drops those not yet started (the one running, if any, finishes).
   * Idempotent; {@link #closed()} completes once nothing runs any more.
   */
  public void closeAndDiscard() {
    closeInternal(true);
  }

  /** Whether {@link #close()} or {@link #closeAndDiscard()} was called. */
  public boolean isClosed() {
    synchronized (acceptLock) {
      return closed;
    }
  }

  /** Completes when the serializer is closed and no callback runs or will run any more. */
  public CompletableFuture<Void> closed() {
    return closedFuture.copy();
  }

  /** Whether the calling thread is running one of this serializer's callbacks right now. */
  public boolean isCurrentThread() {
    return drainingThread == Thread.currentThread();
  }

  /**
   * For assertions in code that must run inside the serializer.
   *
   * @throws IllegalStateException when called from any other thread
   */
  public void checkInSerializer() {
    if (!isCurrentThread()) {
      throw new IllegalStateException(
          "Must run in the channel's callback serializer, but runs on "
              + Thread.currentThread().getName());
    }
  }

  private void closeInternal(boolean discard) {
    synchronized (acceptLock) {
      if (closed) {
        if (discard) {
          discarding = true;
        }
        return;
      }
      closed = true;
      if (discard) {
        discarding = true;
      }
      // The sentinel is the last thing ever queued: once it runs, nothing else will.
      queue.add(new CloseSentinel());
    }
    signal();
  }

  private void signal() {
    if (pending.getAndIncrement() == 0) {
      submitDrain();
    }
  }

  private void submitDrain() {
    try {
      executor.execute(drainTask);
    } catch (RejectedExecutionException e) {
      // Nothing can run the queue any more; say so loudly and stop accepting work, rather than
      // leave callers waiting on callbacks that never run.
      logger.log(Level.ERROR, "Executor rejected the callback serializer; dropping its queue", e);
      synchronized (acceptLock) {
        closed = true;
      }
      discarding = true;
      queue.clear();
      pending.set(0);
      closedFuture.complete(null);
    }
  }

  private void drain() {
    drainingThread = Thread.currentThread();
    try {
      int missed = pending.get();
      int ran = 0;
      while (true) {
        Runnable callback;
        while ((callback = queue.poll()) != null) {
          run(callback);
          if (++ran >= BATCH && !queue.isEmpty()) {
            // Give the executor thread back; pending stays above zero so no one else drains.
            submitDrain();
            return;
          }
        }
        missed = pending.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    } finally {
      drainingThread = null;
    }
  }

  private void run(Runnable callback) {
    if (callback instanceof CloseSentinel) {
      closedFuture.complete(null);
      return;
    }
    if (discarding) {
      return;
    }
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      logger.log(Level.ERROR, "A callback in the channel's callback serializer threw", e);
    }
  }

  private static final class CloseSentinel implements Runnable {
    @Override
    public void run() {}
  }
}
