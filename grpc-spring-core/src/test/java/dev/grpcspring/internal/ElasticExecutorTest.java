package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElasticExecutorTest {
  private ExecutorService pool;

  @AfterEach
  void stop() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void sequentialTasksReuseOneIdleThread() throws Exception {
    pool = ElasticExecutor.create("t", 50, 60, TimeUnit.SECONDS);
    ThreadPoolExecutor tpe = (ThreadPoolExecutor) pool;
    Set<String> names = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 200; i++) {
      CountDownLatch done = new CountDownLatch(1);
      pool.execute(() -> {
        names.add(Thread.currentThread().getName());
        done.countDown();
      });
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      while (tpe.getActiveCount() > 0) {
        Thread.onSpinWait();
      }
    }
    // A plain ThreadPoolExecutor with 50 core threads would have started 50 here.
    assertThat(names).singleElement().asString().startsWith("t-");
    assertThat(tpe.getPoolSize()).isEqualTo(1);
  }

  @Test
  void startsAThreadOnlyWhenAllAreBusy() throws Exception {
    pool = ElasticExecutor.create("t", 50, 60, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      pool.execute(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).as("five blocked tasks run at once").isTrue();
    assertThat(((ThreadPoolExecutor) pool).getPoolSize()).isEqualTo(5);
    release.countDown();
  }

  @Test
  void growsToTheMaximumThenQueuesAndRunsEverything() throws Exception {
    pool = ElasticExecutor.create("t", 3, 60, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      pool.execute(() -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        done.countDown();
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (running.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    ThreadPoolExecutor tpe = (ThreadPoolExecutor) pool;
    assertThat(running.get()).isEqualTo(3);
    assertThat(tpe.getPoolSize()).isEqualTo(3);
    assertThat(tpe.getQueue()).hasSize(7);
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
    ThreadPoolExecutor tpe = (ThreadPoolExecutor) pool;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (tpe.getPoolSize() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(tpe.getPoolSize()).isZero();
    // ...and a new task still gets a thread.
    CountDownLatch again = new CountDownLatch(1);
    pool.execute(again::countDown);
    assertThat(again.await(5, TimeUnit.SECONDS)).isTrue();
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
  void rejectsANonPositiveMaximum() {
    assertThatThrownBy(() -> ElasticExecutor.create("t", 0, 1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxThreads");
  }
}
