package dev.grpcspring.server;

import dev.grpcspring.internal.ElasticExecutor;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link ElasticPool} over the internal {@link ElasticExecutor}, which cannot implement the API
 * interface itself: {@code internal} must not depend on {@code server}.
 */
final class ElasticPoolImpl extends AbstractExecutorService implements ElasticPool {
  private final ElasticExecutor pool;

  ElasticPoolImpl(ElasticExecutor pool) {
    this.pool = pool;
  }

  /** The pool itself, for {@link ReadBatch}'s hand-over of a read's calls at once. */
  ElasticExecutor pool() {
    return pool;
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  @Override
  public void shutdown() {
    pool.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return pool.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return pool.awaitTermination(timeout, unit);
  }

  @Override
  public int maximumPoolSize() {
    return pool.getMaximumPoolSize();
  }

  @Override
  public int poolSize() {
    return pool.getPoolSize();
  }

  @Override
  public int activeCount() {
    return pool.getActiveCount();
  }

  @Override
  public int queueSize() {
    return pool.getQueueSize();
  }

  @Override
  public String toString() {
    return pool.toString();
  }
}
