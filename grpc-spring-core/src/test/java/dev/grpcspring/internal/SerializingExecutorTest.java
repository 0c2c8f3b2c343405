package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerializingExecutorTest {
  @Test
  void runsInOrderWithoutOverlapOnAPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerializingExecutor ex = new SerializingExecutor(pool);
      AtomicInteger running = new AtomicInteger();
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(1000);
      boolean[] overlapped = new boolean[1];
      for (int i = 0; i < 1000; i++) {
        int n = i;
        ex.execute(() -> {
          if (running.incrementAndGet() != 1) {
            overlapped[0] = true;
          }
          order.add(n);
          running.decrementAndGet();
          done.countDown();
        });
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(overlapped[0]).isFalse();
      for (int i = 0; i < 1000; i++) {
        assertThat(order.get(i)).isEqualTo(i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nestedTasksRunAfterTheCurrentOneAndFailuresDoNotStopTheQueue() {
    SerializingExecutor ex = new SerializingExecutor(Runnable::run);
    List<String> order = new ArrayList<>();
    ex.execute(() -> {
      ex.execute(() -> order.add("nested"));
      order.add("outer");
    });
    ex.execute(() -> {
      throw new IllegalStateException("expected in test");
    });
    ex.execute(() -> order.add("after failure"));
    assertThat(order).containsExactly("outer", "nested", "after failure");
  }

  @Test
  void aLongQueueGivesTheThreadBackAfterEachBatch() {
    List<Runnable> drains = new ArrayList<>();
    SerializingExecutor ex = new SerializingExecutor(drains::add);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int n = i;
      ex.execute(() -> order.add(n));
    }
    assertThat(drains).hasSize(1); // one drain scheduled for all of them
    for (int i = 0; i < drains.size(); i++) {
      drains.get(i).run();
    }
    // 256 a drain: the third drain finishes the queue.
    assertThat(drains).hasSize(3);
    assertThat(order).hasSize(600);
    assertThat(order.get(599)).isEqualTo(599);
  }

  @Test
  void aRejectedDrainDropsTheQueueAndLetsTheNextTaskTryAgain() {
    AtomicInteger refusals = new AtomicInteger(1);
    SerializingExecutor ex = new SerializingExecutor(task -> {
      if (refusals.getAndDecrement() > 0) {
        throw new java.util.concurrent.RejectedExecutionException("full");
      }
      task.run();
    });
    List<String> ran = new ArrayList<>();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ex.execute(() -> ran.add("dropped")))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    ex.execute(() -> ran.add("later"));
    assertThat(ran).containsExactly("later");
  }
}
