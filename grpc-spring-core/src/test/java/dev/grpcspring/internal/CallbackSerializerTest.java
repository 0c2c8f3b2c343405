package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackSerializerTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void runsCallbacksInSubmissionOrderOneAtATime() throws Exception {
    CallbackSerializer serializer = new CallbackSerializer(pool);
    int submitters = 4;
    int perSubmitter = 5_000;
    List<List<Integer>> seenPerSubmitter = new ArrayList<>();
    for (int i = 0; i < submitters; i++) {
      seenPerSubmitter.add(new ArrayList<>());
    }
    AtomicInteger running = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
    Thread[] threads = new Thread[submitters];
    for (int s = 0; s < submitters; s++) {
      int submitter = s;
      threads[s] = new Thread(() -> {
        for (int i = 0; i < perSubmitter; i++) {
          int seq = i;
          assertThat(serializer.trySchedule(() -> {
            if (running.incrementAndGet() != 1) {
              overlapped.set(true);
            }
            // Unsynchronized list: the serializer's happens-before edges must make this safe.
            seenPerSubmitter.get(submitter).add(seq);
            running.decrementAndGet();
            done.countDown();
          })).isTrue();
        }
      });
      threads[s].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(overlapped).isFalse();
    for (List<Integer> seen : seenPerSubmitter) {
      assertThat(seen).hasSize(perSubmitter).isSorted();
    }
  }

  @Test
  void neverRunsOnTheSubmittingThreadNotEvenFromInsideACallback() throws Exception {
    CallbackSerializer serializer = new CallbackSerializer(pool);
    Thread caller = Thread.currentThread();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(1);
    List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
    serializer.trySchedule(() -> {
      ranOn.add(Thread.currentThread());
      events.add("outer-start");
      serializer.trySchedule(() -> {
        ranOn.add(Thread.currentThread());
        events.add("inner");
        done.countDown();
      });
      events.add("outer-end");
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(events).containsExactly("outer-start", "outer-end", "inner");
    assertThat(ranOn).hasSize(2).doesNotContain(caller);
  }

  @Test
  void tellsWhetherTheCurrentThreadIsInTheSerializer() throws Exception {
    CallbackSerializer serializer = new CallbackSerializer(pool);
    assertThat(serializer.isCurrentThread()).isFalse();
    assertThatThrownBy(serializer::checkInSerializer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("callback serializer");
    AtomicBoolean inside = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    serializer.trySchedule(() -> {
      serializer.checkInSerializer();
      inside.set(serializer.isCurrentThread());
      done.countDown();
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(inside).isTrue();
  }

  @Test
  void aThrowingCallbackDoesNotStopTheOthers() throws Exception {
    CallbackSerializer serializer = new CallbackSerializer(pool);
    CountDownLatch done = new CountDownLatch(1);
    serializer.trySchedule(() -> {
      throw new IllegalStateException("expected by the test");
    });
    serializer.trySchedule(done::countDown);
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closeRunsWhatWasQueuedAndRefusesTheRest() throws Exception {
    CallbackSerializer serializer = new CallbackSerializer(pool);
    CountDownLatch gate = new CountDownLatch(1);
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    serializer.trySchedule(() -> await(gate));
    for (int i = 0; i < 10; i++) {
      int n = i;
      serializer.trySchedule(() -> ran.add(n));
    }
    serializer.close();
    assertThat(serializer.isClosed()).isTrue();
    assertThat(serializer.trySchedule(() -> ran.add(99))).isFalse();
    assertThatThrownBy(() -> serializer.execute(() -> ran.add(100)))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(serializer.closed()).isNotDone();
    gate.countDown();
    serializer.closed().get(5, TimeUnit.SECONDS);
    assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void closeAndDiscardDropsWhatHasNotStarted() throws Exception {
    CallbackSerializer serializer = new CallbackSerializer(pool);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean firstFinished = new AtomicBoolean();
    AtomicInteger ran = new AtomicInteger();
    serializer.trySchedule(() -> {
      started.countDown();
      await(gate);
      firstFinished.set(true);
    });
    for (int i = 0; i < 10; i++) {
      serializer.trySchedule(ran::incrementAndGet);
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    serializer.closeAndDiscard();
    gate.countDown();
    serializer.closed().get(5, TimeUnit.SECONDS);
    assertThat(firstFinished).isTrue();
    assertThat(ran).hasValue(0);
  }

  @Test
  void givesTheThreadBackBetweenBatchesButKeepsOrder() throws Exception {
    // One pool thread shared with other work: a long queue must not starve the other task.
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      CallbackSerializer serializer = new CallbackSerializer(single);
      List<Integer> ran = new ArrayList<>();
      CountDownLatch gate = new CountDownLatch(1);
      serializer.trySchedule(() -> await(gate));
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        serializer.trySchedule(() -> ran.add(n));
      }
      AtomicInteger otherRanAfter = new AtomicInteger(-1);
      single.execute(() -> otherRanAfter.set(ran.size()));
      gate.countDown();
      CountDownLatch done = new CountDownLatch(1);
      serializer.trySchedule(done::countDown);
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).hasSize(2_000).isSorted();
      assertThat(otherRanAfter.get()).isBetween(0, 1_999);
    } finally {
      single.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("gate not opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
