package dev.grpcspring.internal;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One daemon thread that looks at each {@link ElasticExecutor} with queued work every tick and
 * lets it add threads when its tasks stopped making progress. It parks while no pool needs
 * watching, so an idle application pays nothing for it.
 */
final class PoolMonitor implements Runnable {
  /** How long queued tasks may wait with no thread taking any before a pool grows. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** Ticks with an empty queue after which a pool is no longer watched. */
  static final int QUIET_TICKS_BEFORE_UNWATCH = 100;

  static final PoolMonitor INSTANCE = new PoolMonitor();

  private final Set<ElasticExecutor> pools = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Thread thread;

  private PoolMonitor() {}

  void watch(ElasticExecutor pool) {
    pools.add(pool);
    Thread t = thread;
    if (t == null) {
      t = start();
    }
    LockSupport.unpark(t);
  }

  private synchronized Thread start() {
    if (thread == null) {
      Thread t = new Thread(this, "grpc-spring-pool-monitor");
      t.setDaemon(true);
      thread = t;
      t.start();
    }
    return thread;
  }

  @Override
  public void run() {
    while (true) {
      if (pools.isEmpty()) {
        LockSupport.park(this); // watch() unparks; a spurious return just loops
        continue;
      }
      LockSupport.parkNanos(this, TICK_NANOS);
      for (Iterator<ElasticExecutor> it = pools.iterator(); it.hasNext(); ) {
        ElasticExecutor pool = it.next();
        try {
          if (!pool.checkProgress()) {
            it.remove();
            pool.unwatched();
          }
        } catch (RuntimeException | Error e) {
          // Starting a thread can fail (out of memory for stacks, process limits): the pool
          // keeps its threads, and the next tick tries again.
          Thread.currentThread().getUncaughtExceptionHandler()
              .uncaughtException(Thread.currentThread(), e);
        }
      }
    }
  }
}
