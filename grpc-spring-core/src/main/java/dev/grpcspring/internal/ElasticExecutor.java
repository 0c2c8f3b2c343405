package dev.grpcspring.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A thread pool that keeps about as many threads as there are cores while its tasks run, and adds
 * threads only when its tasks stop making progress (they block), up to a maximum; idle threads
 * end after the keep-alive.
 *
 * <p>Why: gRPC handlers are mostly short and CPU-bound, but Spring applications also block in
 * them (JDBC, remote calls). A pool that starts a thread whenever all of its threads are busy
 * (Tomcat's rule, and this class's first version) grows to its maximum under any sustained load,
 * since a queue of short tasks always finds every thread busy: on two cores it ran 200 threads
 * that took turns on the CPU, woke each other and lost half the server's throughput against
 * running handlers on the event loop. Here up to {@link Runtime#availableProcessors()} threads
 * (at least two) start on demand; past that, the {@link PoolMonitor} adds threads only while
 * tasks are queued and some of the threads are blocked (their CPU clock stood still for two ticks
 * and the kernel does not list them as runnable), as many as are blocked, so a pool of blocking
 * handlers doubles per look, and a pool that computes, or waits for a busy machine's cores, keeps
 * its size.
 *
 * <p>Tasks wait in a {@link LinkedBlockingQueue}, which wakes a waiting thread only when it goes
 * from empty to not empty and lets busy threads take queued tasks without parking.
 */
public final class ElasticExecutor extends AbstractExecutorService {
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;
  /** Wakes an idle worker at shutdown so that it sees the state; never run. */
  private static final Runnable WAKE_UP = () -> { };

  private final String name;
  private final int maxThreads;
  private final int eagerThreads;
  private final long keepAliveNanos;
  private final TaskQueue queue = new TaskQueue();
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  /** Workers started and not yet ended; changed only by compare-and-set in {@link #tryStart}. */
  private final AtomicInteger live = new AtomicInteger();
  /** Workers started that have not yet looked for a task. */
  private final AtomicInteger starting = new AtomicInteger();
  /** Workers waiting for a task. */
  private final AtomicInteger idle = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  private final ReentrantLock terminationLock = new ReentrantLock();
  private final Condition terminatedCondition = terminationLock.newCondition();
  private volatile int state = RUNNING;
  /** Whether the {@link PoolMonitor} is watching this pool for stalls. */
  private volatile boolean watched;
  /** Ticks a running task may go without CPU before its thread counts as blocked. */
  static final int STUCK_TICKS = 2;
  // The monitor's own view, touched by its thread only.
  private int quietTicks;

  private final Consumer<ElasticExecutor> monitor;

  private ElasticExecutor(String name, int maxThreads, long keepAliveNanos,
      Consumer<ElasticExecutor> monitor) {
    this.monitor = monitor;
    this.name = name;
    this.maxThreads = maxThreads;
    this.eagerThreads = Math.min(maxThreads, Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.keepAliveNanos = keepAliveNanos;
  }

  /**
   * A pool of at most {@code maxThreads} daemon threads named {@code namePrefix-N}, whose idle
   * threads end after {@code keepAlive}.
   */
  public static ElasticExecutor create(String namePrefix, int maxThreads, long keepAlive,
      TimeUnit unit) {
    return create(namePrefix, maxThreads, keepAlive, unit, PoolMonitor.INSTANCE::watch);
  }

  /** As {@link #create(String, int, long, TimeUnit)}, watched by the given monitor (tests). */
  static ElasticExecutor create(String namePrefix, int maxThreads, long keepAlive,
      TimeUnit unit, Consumer<ElasticExecutor> monitor) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
    }
    return new ElasticExecutor(namePrefix, maxThreads, unit.toNanos(keepAlive), monitor);
  }

  @Override
  public void execute(Runnable task) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    if (state != RUNNING) {
      throw new RejectedExecutionException("Executor " + name + " is shut down");
    }
    queue.offer(task);
    try {
      growForQueuedTask();
    } catch (RuntimeException | Error e) {
      if (queue.remove(task)) {
        throw cannotStart(e);
      }
      // A worker took the task after all; the pool just has a thread fewer than it wanted.
      Thread.currentThread().getUncaughtExceptionHandler()
          .uncaughtException(Thread.currentThread(), e);
    }
  }

  /**
   * Runs {@code tasks} as {@link #execute} would, in order, waking one waiting worker for all of
   * them rather than one per task (see {@link TaskQueue#offerAll}). Tasks this pool cannot take
   * (it is shut down, or could not start a thread) go to {@code rejected} instead of throwing, so
   * that one refusal does not lose the others.
   */
  public <T extends Runnable> void executeAll(List<T> tasks,
      BiConsumer<? super T, RejectedExecutionException> rejected) {
    if (tasks.isEmpty()) {
      return;
    }
    if (state != RUNNING) {
      RejectedExecutionException e =
          new RejectedExecutionException("Executor " + name + " is shut down");
      for (int i = 0; i < tasks.size(); i++) {
        rejected.accept(tasks.get(i), e);
      }
      return;
    }
    queue.offerAll(tasks);
    try {
      int started = 0;
      while (started < tasks.size() && growForQueuedTask()) {
        started++; // at most a worker per task, as that many executes would start
      }
    } catch (RuntimeException | Error e) {
      boolean refused = false;
      for (int i = 0; i < tasks.size(); i++) {
        T task = tasks.get(i);
        if (queue.remove(task)) {
          refused = true;
          rejected.accept(task, cannotStart(e));
        }
      }
      if (!refused) {
        Thread.currentThread().getUncaughtExceptionHandler()
            .uncaughtException(Thread.currentThread(), e);
      }
    }
  }

  /**
   * After a task was queued: starts a worker if none is waiting and fewer than the eager count
   * live, or has the monitor watch for stalls past that. Returns whether it started (or raced to
   * start) one, so that a batch may start another; throws what starting a thread threw.
   */
  private boolean growForQueuedTask() {
    if (idle.get() > 0 || queue.isEmpty()) {
      return false; // a waiting worker takes it, or already took it
    }
    int n = live.get();
    if (n < eagerThreads) {
      tryStart(n);
      return true;
    }
    if (n < maxThreads && !watched) {
      watched = true;
      monitor.accept(this);
    }
    return false;
  }

  private RejectedExecutionException cannotStart(Throwable e) {
    return new RejectedExecutionException("Executor " + name + " could not start a thread"
        + " for the task (" + e + "); fewer threads or more memory for thread stacks may"
        + " help", e);
  }

  /** Starts a worker if {@code expectedLive} still holds; false if another thread changed it. */
  private boolean tryStart(int expectedLive) {
    if (!live.compareAndSet(expectedLive, expectedLive + 1)) {
      return false;
    }
    Worker w = new Worker(name + "-" + ids.incrementAndGet());
    Thread t = w.thread;
    workers.add(w);
    starting.incrementAndGet();
    try {
      t.start();
    } catch (RuntimeException | Error e) {
      starting.decrementAndGet();
      workers.remove(w);
      live.decrementAndGet();
      throw e;
    }
    return true;
  }

  /**
   * Called by the monitor every tick while watched. A busy worker that has used no CPU and taken
   * no task for {@link #STUCK_TICKS} ticks is blocked (I/O, a lock, a remote call); while tasks
   * are queued and fewer than the eager count of workers can run, this adds threads: to make up
   * the eager count, or as many as are blocked when more are (so a pool of blocking handlers
   * doubles per tick), never more than are queued. Returns whether to keep watching.
   */
  boolean checkProgress() {
    if (state != RUNNING) {
      return false;
    }
    int running = 0;
    int blocked = 0;
    for (Worker w : workers) {
      if (w.waiting) {
        w.stuckTicks = 0;
        w.blocked = false;
        continue;
      }
      long taken = w.taken;
      long cpu = CpuClock.threadCpuNanos(w.thread);
      if (taken != w.seenTaken || cpu != w.seenCpu) {
        w.stuckTicks = 0;
        w.blocked = false;
      } else if (++w.stuckTicks == STUCK_TICKS) {
        // Asked once per stop: a blocked thread stays blocked until its clock moves again.
        w.blocked = CpuClock.isBlocked(w.thread, w.stat);
      } else if (w.stuckTicks > STUCK_TICKS && !w.blocked) {
        w.stuckTicks = STUCK_TICKS - 1; // waiting for a core: ask again next tick
      }
      w.seenTaken = taken;
      w.seenCpu = cpu;
      if (w.blocked) {
        blocked++;
      } else {
        running++;
      }
    }
    int queued = queue.size();
    if (queued == 0) {
      // Stay watched for a while: under steady load the queue empties often, and every new
      // watch wakes the monitor thread.
      if (++quietTicks < PoolMonitor.QUIET_TICKS_BEFORE_UNWATCH) {
        return true;
      }
      quietTicks = 0;
      return false;
    }
    quietTicks = 0;
    // Threads on their way (starting, or parked and being woken: on a busy machine a wake-up
    // can take longer than a tick) will take queued tasks; while any is, more would not help.
    int waiting = queued - starting.get();
    if (waiting > 0 && idle.get() == 0 && blocked > 0 && running < eagerThreads) {
      int n = live.get();
      int add = Math.min(Math.min(waiting, Math.max(eagerThreads - running, blocked)),
          maxThreads - n);
      for (int i = 0; i < add; ) {
        int current = live.get();
        if (current >= maxThreads) {
          break;
        }
        if (tryStart(current)) {
          i++;
        }
      }
    }
    return live.get() < maxThreads;
  }

  /**
   * Called by the monitor after it stopped watching: a task queued meanwhile found the pool
   * still marked as watched, so look once more.
   */
  void unwatched() {
    watched = false;
    if (state == RUNNING && !queue.isEmpty() && live.get() < maxThreads) {
      watched = true;
      monitor.accept(this);
    }
  }

  private final class Worker implements Runnable {
    final Thread thread;
    /** Tasks taken; written by this worker only, read by the monitor. */
    volatile long taken;
    /** Whether this worker is parked waiting for a task. */
    volatile boolean waiting;
    // The monitor's view of this worker, touched by its thread only.
    long seenTaken = -1;
    long seenCpu = -1;
    int stuckTicks;
    boolean blocked;
    /** The kernel's status file of this worker's thread, or null; set by the thread itself. */
    volatile @Nullable Path stat;

    /** The worker and its thread, not started yet. */
    Worker(String threadName) {
      thread = new Thread(this, threadName);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      stat = CpuClock.currentThreadStat();
      starting.decrementAndGet();
      try {
        while (true) {
          Runnable task = next();
          if (task == null) {
            return;
          }
          if (task == WAKE_UP) {
            continue;
          }
          taken++; // only this thread writes it; volatile for the monitor's read
          try {
            task.run();
          } catch (Throwable t) {
            Thread.UncaughtExceptionHandler h = thread.getUncaughtExceptionHandler();
            h.uncaughtException(thread, t);
          }
          Thread.interrupted(); // an interrupt meant for the task ends with it
        }
      } finally {
        workers.remove(this);
        live.decrementAndGet();
        if (state == RUNNING && !queue.isEmpty() && idle.get() == 0) {
          // Ended on keep-alive while a task arrived: the task must not wait for a stall tick.
          tryStart(live.get());
        }
        if (state != RUNNING && live.get() == 0) {
          signalTerminated();
        }
      }
    }

    /** The next task, or null when this worker should end. */
    private @Nullable Runnable next() {
      while (true) {
        int s = state;
        if (s == STOP || (s == SHUTDOWN && queue.isEmpty())) {
          return null;
        }
        Runnable task = queue.poll();
        if (task != null) {
          return task;
        }
        waiting = true;
        idle.incrementAndGet();
        try {
          task = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          continue; // shutdownNow, or a stray interrupt: look at the state again
        } finally {
          idle.decrementAndGet();
          waiting = false;
        }
        if (task != null) {
          return task;
        }
        if (queue.isEmpty()) {
          return null; // idle for the whole keep-alive
        }
      }
    }
  }

  @Override
  public void shutdown() {
    terminationLock.lock();
    try {
      if (state == RUNNING) {
        state = SHUTDOWN;
      }
      for (int i = 0; i < workers.size(); i++) {
        queue.offer(WAKE_UP);
      }
      if (live.get() == 0) {
        terminatedCondition.signalAll();
      }
    } finally {
      terminationLock.unlock();
    }
  }

  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> never = new ArrayList<>();
    terminationLock.lock();
    try {
      state = STOP;
      queue.drainTo(never);
      never.removeIf(r -> r == WAKE_UP);
      for (Worker w : workers) {
        w.thread.interrupt();
      }
      if (live.get() == 0) {
        terminatedCondition.signalAll();
      }
    } finally {
      terminationLock.unlock();
    }
    return never;
  }

  private void signalTerminated() {
    terminationLock.lock();
    try {
      terminatedCondition.signalAll();
    } finally {
      terminationLock.unlock();
    }
  }

  @Override
  public boolean isShutdown() {
    return state != RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return state != RUNNING && live.get() == 0;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    terminationLock.lock();
    try {
      while (!isTerminated()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = terminatedCondition.awaitNanos(nanos);
      }
      return true;
    } finally {
      terminationLock.unlock();
    }
  }

  /** Threads running a task. */
  public int getActiveCount() {
    return Math.max(0, live.get() - idle.get());
  }

  /** Threads that start on demand, without waiting for a stall. */
  int eagerThreads() {
    return eagerThreads;
  }

  /** Threads started and not yet ended. */
  public int getPoolSize() {
    return live.get();
  }

  /** Tasks waiting for a thread. */
  public int getQueueSize() {
    return queue.countExcept(WAKE_UP);
  }

  /** The most threads this pool starts. */
  public int getMaximumPoolSize() {
    return maxThreads;
  }

  @Override
  public String toString() {
    return "ElasticExecutor[" + name + ", threads=" + live.get() + "/" + maxThreads
        + ", idle=" + idle.get() + ", queued=" + queue.size()
        + (state == RUNNING ? "" : state == SHUTDOWN ? ", shut down" : ", stopped") + "]";
  }
}
