package dev.grpcspring.server;

import dev.grpcspring.internal.ElasticExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The thread pool a {@link Server} runs service handlers on when it is given no executor, for
 * applications that want the same pool with their own size, for example to pass to {@link
 * ServerBuilder#executor(java.util.concurrent.Executor)} and shut it down themselves.
 *
 * <p>It keeps about as many daemon threads as there are cores while its tasks compute, and adds
 * threads, up to {@code maxThreads}, only while tasks are queued and running ones are blocked
 * (in JDBC or a remote call, say). A pool that grows whenever all of its threads are busy would
 * reach its maximum under any steady load of short handlers and lose throughput to threads
 * taking turns on the cores. Idle threads end after the keep-alive.
 */
public interface ElasticPool extends ExecutorService {

  /**
   * A new pool whose threads are named {@code threadNamePrefix-N}.
   *
   * @param threadNamePrefix the start of each thread's name
   * @param maxThreads the most threads the pool starts; at least 1
   * @param keepAlive how long a thread stays without work before it ends; not negative
   * @throws IllegalArgumentException if {@code maxThreads} is below 1 or {@code keepAlive} is
   *     negative
   */
  static ElasticPool create(String threadNamePrefix, int maxThreads, Duration keepAlive) {
    Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
    Objects.requireNonNull(keepAlive, "keepAlive");
    if (keepAlive.isNegative()) {
      throw new IllegalArgumentException("keepAlive must not be negative, was " + keepAlive);
    }
    return new ElasticPoolImpl(ElasticExecutor.create(threadNamePrefix, maxThreads,
        keepAlive.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** The most threads this pool starts. */
  int maximumPoolSize();

  /** Threads started and not yet ended. */
  int poolSize();

  /** Threads running a task. */
  int activeCount();

  /** Tasks waiting for a thread. */
  int queueSize();
}
