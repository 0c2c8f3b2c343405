package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ElasticPoolTest {

  @Test
  void runsTasksOnNamedDaemonThreadsAndReportsItsSize() throws Exception {
    ElasticPool pool = ElasticPool.create("pool-test", 3, Duration.ofSeconds(30));
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      Future<Thread> running = pool.submit(() -> {
        started.countDown();
        release.await();
        return Thread.currentThread();
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pool.maximumPoolSize()).isEqualTo(3);
      assertThat(pool.poolSize()).isEqualTo(1);
      assertThat(pool.activeCount()).isEqualTo(1);
      assertThat(pool.queueSize()).isZero();
      release.countDown();
      Thread t = running.get(10, TimeUnit.SECONDS);
      assertThat(t.getName()).startsWith("pool-test-");
      assertThat(t.isDaemon()).isTrue();
    } finally {
      pool.shutdown();
    }
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.isShutdown()).isTrue();
    assertThat(pool.isTerminated()).isTrue();
  }

  @Test
  void rejectsAnEmptyPoolAndANegativeKeepAlive() {
    assertThatThrownBy(() -> ElasticPool.create("p", 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxThreads");
    assertThatThrownBy(() -> ElasticPool.create("p", 1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAlive");
  }
}
