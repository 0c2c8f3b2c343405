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
}
