package dev.grpcspring.transport;

import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * grpc-go's {@code controlBuffer} and the {@code loopyWriter} that drains it, on Netty's event loop
 * instead of a goroutine (grpc-java's {@code WriteQueue}). Batches writes from application threads
 * onto a channel's event loop: commands are enqueued
 * without locks, one drain task per event-loop turn runs them all, and the channel is flushed once
 * at the end (or every {@value #CHUNK} commands, so buffers go out under sustained load). One per
 * connection.
 *
 * <p>A command may own a buffer (a framed message) that only running it releases, so every
 * enqueued command must run: one enqueued without scheduling waits for a later drain, and a stream
 * that ends before that drain was asked for must call {@link #scheduleFlushIfPending()}.
 */
public final class ControlBuffer {
  private static final Logger log = Logger.getLogger(ControlBuffer.class.getName());

  /** Commands run between flushes, at most. */
  static final int CHUNK = 128;

  /** Work to do on the event loop, usually writing frames without flushing. */
  @FunctionalInterface
  public interface Command {
    void run();
  }

  private final Channel channel;
  /**
   * Netty's multi-producer, single-consumer array queue (what its event loops use): no node per
   * command, as ConcurrentLinkedQueue had (24 bytes each, 4 to 5 commands per unary call). The one
   * consumer is whoever drains, which {@link #drain} makes exclusive.
   */
  private final Queue<Command> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drainTask = () -> drain(true);

  public ControlBuffer(Channel channel) {
    this.channel = channel;
  }

  /** Enqueues a command and makes sure a drain is scheduled. */
  public void enqueue(Command command) {
    enqueue(command, true);
  }

  /**
   * Enqueues a command. With {@code schedule} false no drain is scheduled, so a caller that will
   * enqueue more soon can batch them; a later {@link #scheduleFlush} (or scheduling enqueue) runs it.
   */
  public void enqueue(Command command, boolean schedule) {
    queue.add(command);
    if (schedule) {
      scheduleFlush();
    }
  }

  /** Schedules a drain on the event loop unless one is pending. */
  public void scheduleFlush() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        // The event loop is gone (the server or channel shut down). Run the commands here: they
        // see a closed channel and release what they hold instead of leaking it.
        log.log(Level.FINE, "Event loop rejected the write queue drain; draining inline", e);
        drain(true);
      }
    }
  }

  /**
   * Schedules a drain if commands wait: for a stream that has ended, whose commands queued without
   * a flush (a unary response waiting for its trailers) would otherwise wait for a drain that its
   * sender, now told of the end, never asks for, holding their buffers.
   */
  public void scheduleFlushIfPending() {
    if (!queue.isEmpty()) {
      scheduleFlush();
    }
  }

  /** Runs queued commands now; must be called on the event loop. */
  public void drainNow() {
    assert channel.eventLoop().inEventLoop();
    drain(true);
  }

  /**
   * Runs queued commands now and leaves the last of their writes for the caller's flush (every
   * {@value #CHUNK} commands still flush); must be called on the event loop. For the end of a read,
   * whose flush follows: what handlers on the event loop answered during the read then leaves in
   * that same write, instead of in a drain task that runs after the loop has read its other
   * connections.
   */
  public void drainBeforeFlush() {
    assert channel.eventLoop().inEventLoop();
    drain(false);
  }

  private void drain(boolean flushAtEnd) {
    // The queue allows one consumer at a time. Drains run on the event loop, except the inline
    // drain after the loop rejected a task; the lock keeps that one from overlapping a last drain
    // of a loop shutting down (uncontended otherwise: one lock per drain, not per command).
    synchronized (this) {
      drainLocked(flushAtEnd);
    }
  }

  private void drainLocked(boolean flushAtEnd) {
    try {
      int n = 0;
      boolean wrote = false;
      Command c;
      while ((c = queue.poll()) != null) {
        c.run();
        wrote = true;
        if (++n == CHUNK) {
          channel.flush();
          n = 0;
          wrote = false;
        }
      }
      if (wrote && flushAtEnd) {
        channel.flush();
      }
    } finally {
      scheduled.set(false);
      // A command enqueued after the loop ended but before the flag cleared needs its own drain.
      if (!queue.isEmpty()) {
        scheduleFlush();
      }
    }
  }
}
