package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ControlBufferTest {
  @Test
  void runsAllCommandsThenFlushesOnce() {
    FlushCounter counter = new FlushCounter();
    EmbeddedChannel ch = new EmbeddedChannel(counter);
    ControlBuffer q = new ControlBuffer(ch);
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = i;
      q.enqueue(() -> ran.add(n));
    }
    ch.runPendingTasks();
    assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(counter.flushes).isEqualTo(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void flushesEveryChunkUnderLoad() {
    FlushCounter counter = new FlushCounter();
    EmbeddedChannel ch = new EmbeddedChannel(counter);
    ControlBuffer q = new ControlBuffer(ch);
    for (int i = 0; i < ControlBuffer.CHUNK * 2 + 1; i++) {
      q.enqueue(() -> {}, false);
    }
    q.scheduleFlush();
    ch.runPendingTasks();
    assertThat(counter.flushes).isEqualTo(3);
    ch.finishAndReleaseAll();
  }

  @Test
  void commandsPastManyChunksOfTheQueueRunInOrderAndTheQueueIsReusedAfterADrain() {
    EmbeddedChannel ch = new EmbeddedChannel(new FlushCounter());
    ControlBuffer q = new ControlBuffer(ch);
    List<Integer> ran = new ArrayList<>();
    int n = ControlBuffer.QUEUE_CHUNK * 10 + 3;
    for (int round = 0; round < 2; round++) {
      ran.clear();
      for (int i = 0; i < n; i++) {
        int k = i;
        q.enqueue(() -> ran.add(k), false);
      }
      q.scheduleFlush();
      ch.runPendingTasks();
      assertThat(ran).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(ran.get(i)).isEqualTo(i);
      }
    }
    ch.finishAndReleaseAll();
  }

  @Test
  void commandsFromManyThreadsAllRun() throws Exception {
    FlushCounter counter = new FlushCounter();
    EmbeddedChannel ch = new EmbeddedChannel(counter);
    ControlBuffer q = new ControlBuffer(ch);
    int threads = 4;
    int each = 1000;
    int[] ran = new int[1];
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        for (int i = 0; i < each; i++) {
          q.enqueue(() -> ran[0]++, i % 10 == 0);
        }
        done.countDown();
      }).start();
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    q.scheduleFlush();
    ch.runPendingTasks();
    assertThat(ran[0]).isEqualTo(threads * each);
    assertThat(counter.flushes).isLessThan(threads * each / 10 + 2);
    ch.finishAndReleaseAll();
  }

  @Test
  void anUnscheduledCommandRunsOnlyWhenADrainIsAskedFor() {
    EmbeddedChannel ch = new EmbeddedChannel(new FlushCounter());
    ControlBuffer q = new ControlBuffer(ch);
    List<String> ran = new ArrayList<>();
    q.scheduleFlushIfPending(); // nothing waits: no drain
    ch.runPendingTasks();
    q.enqueue(() -> ran.add("held"), false);
    ch.runPendingTasks();
    assertThat(ran).isEmpty();
    q.scheduleFlushIfPending();
    ch.runPendingTasks();
    assertThat(ran).containsExactly("held");
    ch.finishAndReleaseAll();
  }

  static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }
}
