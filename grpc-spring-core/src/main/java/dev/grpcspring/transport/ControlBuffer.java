package dev.grpcspring.transport;

import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

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
   * consumer is whoever drains, which {@link #drain} makes exclusive. Made at the first command,
   * in chunks of {@value #QUEUE_CHUNK} slots: the queue weighs about 1 KiB even empty (padding
   * against false sharing, and its first chunk), and Netty's default chunk of 1,024 slots made it
   * 4.7 KiB; made for every connection, it raised the heap per idle connection to 10.6 KiB against
   * grpc-java's 5.9 (the scaling benchmark's memory sweep). A chunk is reused while the drain keeps
   * up; more chunks link on only while more commands wait. The bound is never reached in practice.
   */
  private volatile @Nullable Queue<Command> queue;
  @SuppressWarnings("rawtypes") // the updater is of the field's erased type
  private static final AtomicReferenceFieldUpdater<ControlBuffer, Queue> QUEUE =
      AtomicReferenceFieldUpdater.newUpdater(ControlBuffer.class, Queue.class, "queue");

  /** Slots per chunk of the command queue: a drain's worth of commands ({@value #CHUNK}). */
  static final int QUEUE_CHUNK = CHUNK;
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
    Queue<Command> q = queue;
    (q != null ? q : makeQueue()).add(command);
    if (schedule) {
      scheduleFlush();
    }
  }

  private Queue<Command> makeQueue() {
    Queue<Command> made = PlatformDependent.newMpscQueue(QUEUE_CHUNK, 1 << 30);
    if (QUEUE.compareAndSet(this, null, made)) {
      return made;
    }
    // Another producer made it first; once set, the field never goes back to null.
    return Objects.requireNonNull(queue, "queue");
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
    if (hasCommands()) {
      scheduleFlush();
    }
  }

  private boolean hasCommands() {
    Queue<Command> q = queue;
    return q != null && !q.isEmpty();
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
      Queue<Command> q = queue;
      while (q != null && (c = q.poll()) != null) {
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
      if (hasCommands()) {
        scheduleFlush();
      }
    }
  }
}
