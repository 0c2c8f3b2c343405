package dev.grpcspring.server;

import dev.grpcspring.internal.ElasticExecutor;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Hands the calls of one connection to the server's executor, one task per call per read of the
 * socket.
 *
 * <p>Why: a unary request arrives as HEADERS and DATA with END_STREAM in one read, and the
 * transport delivers it as three events (start, message, half-close). Handed off one by one, a pool
 * thread that wakes fast drains the start before the message is queued, so one call cost three
 * pool tasks and wake-ups (counted: 3.0-3.5 {@code execute} calls per unary call under load).
 * During a read this holds each call's drain and schedules it when the read completes, with every
 * event the read brought for it; outside a read (the stream closing after its trailers, flow
 * control making it ready) a drain is scheduled at once. On the server's own pool the read's calls
 * are queued together with one wake-up ({@link ElasticExecutor#executeAll}): waking a parked worker
 * per call cost the event loop a futex call each, and often its core to the woken thread.
 *
 * <p>Confined to the connection's event loop, as the transport's listener calls are. A server on a
 * direct executor does not hold anything: its calls run as their events arrive, inside the read.
 */
final class ReadBatch {
  private final Executor executor;
  /** The pool under {@link #executor} when it is ours, which takes a read's calls at once. */
  private final @Nullable ElasticExecutor pool;
  private final boolean holdDuringReads;
  /** Calls whose drain waits for the end of the read. */
  private final ArrayList<ServerCallImpl<?, ?>> held = new ArrayList<>();
  private boolean reading;

  /**
   * @param executor the server's executor
   * @param holdDuringReads false for a direct executor, whose calls run inside the read
   */
  ReadBatch(Executor executor, boolean holdDuringReads) {
    this.executor = executor;
    this.pool = executor instanceof ElasticPoolImpl p ? p.pool()
        : executor instanceof ElasticExecutor e ? e : null;
    this.holdDuringReads = holdDuringReads;
  }

  /** The connection's read begins. */
  void readStarted() {
    reading = holdDuringReads;
  }

  /** The read is processed: the drains held during it go to the executor, in arrival order. */
  void readComplete() {
    reading = false;
    if (held.isEmpty()) {
      return;
    }
    if (pool != null) {
      // One wake-up for the read's calls: a woken worker wakes the next while calls are left.
      pool.executeAll(held, ServerCallImpl::drainRejected);
    } else {
      // By index: a drain refused here fails its call, which schedules nothing (not reading).
      for (int i = 0; i < held.size(); i++) {
        submit(held.get(i));
      }
    }
    held.clear();
  }

  /** Schedules {@code call}'s drain: at the end of the read in progress, or now. */
  void schedule(ServerCallImpl<?, ?> call) {
    if (reading) {
      held.add(call);
    } else {
      submit(call);
    }
  }

  private void submit(ServerCallImpl<?, ?> call) {
    try {
      executor.execute(call);
    } catch (RejectedExecutionException e) {
      call.drainRejected(e);
    }
  }
}
