package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ElasticExecutorTest {
  private ElasticExecutor pool;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** A pool whose stall checks the test drives itself, one call of checkProgress per tick. */
  private static ElasticExecutor manual(int maxThreads) {
    return ElasticExecutor.create("t", maxThreads, 60, TimeUnit.SECONDS, p -> { });
  }

  private void blockers(int n, CountDownLatch started) {
    for (int i = 0; i < n; i++) {
      pool.execute(() -> {
        started.countDown();
        awaitRelease();
      });
    }
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  @Test
  void sequentialTasksReuseOneIdleThread() throws Exception {
    pool = ElasticExecutor.create("t", 50, 60, TimeUnit.SECONDS);
    Set<String> names = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 200; i++) {
      CountDownLatch done = new CountDownLatch(1);
      pool.execute(() -> {
        names.add(Thread.currentThread().getName());
        done.countDown();
      });
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      waitFor(() -> pool.getActiveCount() == 0);
    }
    assertThat(names).singleElement().asString().startsWith("t-");
    assertThat(pool.getPoolSize()).isEqualTo(1);
  }

  @Test
  void startsThreadsOnDemandUpToTheCoresWithoutWaitingForAStall() throws Exception {
    pool = manual(50);
    int eager = pool.eagerThreads();
    assertThat(eager).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    CountDownLatch started = new CountDownLatch(eager);
    blockers(eager + 3, started);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.getPoolSize()).isEqualTo(eager);
    assertThat(pool.getQueueSize()).isEqualTo(3);
  }

  @Test
  void threadsThatComputeDoNotGrowThePoolPastTheCores() throws Exception {
    pool = manual(50);
    int eager = pool.eagerThreads();
    AtomicBoolean stop = new AtomicBoolean();
    for (int i = 0; i < eager + 10; i++) {
      pool.execute(() -> {
        while (!stop.get()) {
          Thread.onSpinWait(); // uses CPU the whole time, as a long computation does
        }
      });
    }
    waitFor(() -> pool.getQueueSize() == 10);
    try {
      for (int tick = 0; tick < 10; tick++) {
        pool.checkProgress();
        Thread.sleep(30); // a spinning thread gets some CPU in 30 ms even on a busy machine
      }
      assertThat(pool.getPoolSize()).isEqualTo(eager);
    } finally {
      stop.set(true);
    }
  }

  @Test
  void blockedThreadsAreReplacedAndTheQueueDrainsWithNoMoreThreadsThanItNeeds()
      throws Exception {
    pool = manual(50);
    int eager = pool.eagerThreads();
    CountDownLatch started = new CountDownLatch(eager + 3);
    blockers(eager + 3, started);
    waitFor(() -> pool.getActiveCount() == eager);
    for (int i = 0; i < ElasticExecutor.STUCK_TICKS; i++) {
      pool.checkProgress(); // not yet blocked long enough
    }
    assertThat(pool.getPoolSize()).isEqualTo(eager);
    for (int tick = 0; tick < 20 && started.getCount() > 0; tick++) {
      pool.checkProgress();
      Thread.sleep(5);
    }
    assertThat(started.getCount()).as("every blocked task runs").isZero();
    assertThat(pool.getPoolSize()).isEqualTo(eager + 3);
  }

  @Test
  void theSharedMonitorUnblocksAPoolWhoseThreadsAllBlock() throws Exception {
    pool = ElasticExecutor.create("t", 50, 60, TimeUnit.SECONDS);
    int tasks = pool.eagerThreads() * 4;
    CountDownLatch started = new CountDownLatch(tasks);
    blockers(tasks, started);
    assertThat(started.await(5, TimeUnit.SECONDS)).as("all blocked tasks run at once").isTrue();
    assertThat(pool.getPoolSize()).isEqualTo(tasks);
  }

  @Test
  void growsToTheMaximumThenQueuesAndRunsEverything() throws Exception {
    pool = ElasticExecutor.create("t", 3, 60, TimeUnit.SECONDS);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      pool.execute(() -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        awaitRelease();
        running.decrementAndGet();
        done.countDown();
      });
    }
    waitFor(() -> running.get() == 3);
    assertThat(pool.getPoolSize()).isEqualTo(3);
    assertThat(pool.getQueueSize()).isEqualTo(7);
    release.countDown();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(maxRunning.get()).isEqualTo(3);
  }

  @Test
  void idleThreadsEnd() throws Exception {
    pool = ElasticExecutor.create("t", 4, 50, TimeUnit.MILLISECONDS);
    CountDownLatch done = new CountDownLatch(1);
    pool.execute(done::countDown);
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    waitFor(() -> pool.getPoolSize() == 0);
    // ...and a new task still gets a thread.
    CountDownLatch again = new CountDownLatch(1);
    pool.execute(again::countDown);
    assertThat(again.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFailingTaskIsReportedAndTheThreadKeepsServing() throws Exception {
    pool = ElasticExecutor.create("t", 1, 60, TimeUnit.SECONDS);
    CountDownLatch reported = new CountDownLatch(1);
    pool.execute(() -> Thread.currentThread().setUncaughtExceptionHandler(
        (t, e) -> reported.countDown()));
    pool.execute(() -> {
      throw new IllegalStateException("boom");
    });
    assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();
    CountDownLatch after = new CountDownLatch(1);
    pool.execute(after::countDown);
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.getPoolSize()).isEqualTo(1);
  }

  @Test
  void shutdownRunsWhatIsQueuedThenTerminates() throws Exception {
    pool = ElasticExecutor.create("t", 1, 60, TimeUnit.SECONDS);
    CountDownLatch started = new CountDownLatch(1);
    blockers(1, started);
    AtomicInteger ran = new AtomicInteger();
    pool.execute(ran::incrementAndGet);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    assertThat(pool.isShutdown()).isTrue();
    assertThat(pool.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
    release.countDown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get()).isEqualTo(1);
  }

  @Test
  void shutdownNowInterruptsRunningTasksAndReturnsQueuedOnes() throws Exception {
    pool = ElasticExecutor.create("t", 1, 60, TimeUnit.SECONDS);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    Runnable queued = () -> { };
    pool.execute(queued);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    List<Runnable> never = pool.shutdownNow();
    assertThat(never).containsExactly(queued);
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusesTasksAfterShutdown() {
    pool = ElasticExecutor.create("t", 2, 60, TimeUnit.SECONDS);
    pool.shutdown();
    assertThatThrownBy(() -> pool.execute(() -> { }))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("shut down");
  }

  @Test
  void aBatchRunsInOrderOnOneThread() throws Exception {
    pool = ElasticExecutor.create("t", 1, 60, TimeUnit.SECONDS);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(5);
    List<Runnable> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      batch.add(() -> {
        ran.add(n);
        done.countDown();
      });
    }
    pool.executeAll(batch, (task, e) -> {
      throw new AssertionError("refused", e);
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aBatchWakesEnoughWaitingWorkersToRunItsTasksTogether() throws Exception {
    pool = ElasticExecutor.create("t", 2, 60, TimeUnit.SECONDS);
    // Two workers, both parked: the batch wakes one, which must wake the other, since each task
    // waits until the other one runs.
    CountDownLatch first = new CountDownLatch(2);
    blockers(2, first);
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    waitFor(() -> pool.getPoolSize() == 2 && pool.getActiveCount() == 0);

    CyclicBarrier together = new CyclicBarrier(2);
    CountDownLatch done = new CountDownLatch(2);
    Runnable meet = () -> {
      try {
        together.await(5, TimeUnit.SECONDS);
        done.countDown();
      } catch (Exception e) {
        throw new AssertionError("the other task did not run alongside", e);
      }
    };
    pool.executeAll(List.of(meet, meet), (task, e) -> {
      throw new AssertionError("refused", e);
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.getPoolSize()).isEqualTo(2);
  }

  @Test
  void aBatchStartsWorkersOnDemand() throws Exception {
    pool = ElasticExecutor.create("t", 2, 60, TimeUnit.SECONDS);
    CyclicBarrier together = new CyclicBarrier(2);
    CountDownLatch done = new CountDownLatch(2);
    Runnable meet = () -> {
      try {
        together.await(5, TimeUnit.SECONDS);
        done.countDown();
      } catch (Exception e) {
        throw new AssertionError("the other task did not run alongside", e);
      }
    };
    pool.executeAll(List.of(meet, meet), (task, e) -> {
      throw new AssertionError("refused", e);
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aBatchAfterShutdownIsRefusedTaskByTask() {
    pool = ElasticExecutor.create("t", 2, 60, TimeUnit.SECONDS);
    pool.shutdown();
    Runnable a = () -> { };
    Runnable b = () -> { };
    List<Runnable> refused = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    pool.executeAll(List.of(a, b), (task, e) -> {
      refused.add(task);
      messages.add(e.getMessage());
    });
    assertThat(refused).containsExactly(a, b);
    assertThat(messages).allSatisfy(m -> assertThat(m).contains("shut down"));
  }

  @Test
  void rejectsANonPositiveMaximum() {
    assertThatThrownBy(() -> ElasticExecutor.create("t", 0, 1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxThreads");
  }
}
