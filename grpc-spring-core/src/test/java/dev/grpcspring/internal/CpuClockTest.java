package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CpuClockTest {

  @Test
  void aThreadBlockedInASocketReadIsBlockedThoughTheJvmCallsItRunnable() throws Exception {
    assumeThat(Files.exists(Path.of("/proc/thread-self"))).as("Linux procfs").isTrue();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      CompletableFuture<Path> stat = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        stat.complete(CpuClock.currentThreadStat());
        try (InputStream in = client.getInputStream()) {
          in.read(); // blocks in the kernel until the test writes
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      reader.start();
      Path path = stat.get(5, TimeUnit.SECONDS);
      assertThat(path).isNotNull();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!CpuClock.isBlocked(reader, path)) {
        assertThat(System.nanoTime()).as("reader blocks within 5 s").isLessThan(deadline);
        Thread.sleep(5);
      }
      assertThat(reader.getState()).isEqualTo(Thread.State.RUNNABLE);
      long before = CpuClock.threadCpuNanos(reader);
      Thread.sleep(50);
      assertThat(CpuClock.threadCpuNanos(reader)).isEqualTo(before);
      accepted.getOutputStream().write(1);
      reader.join(5_000);
    }
  }

  @Test
  void aThreadThatComputesIsNotBlockedAndItsClockMoves() throws Exception {
    assumeThat(Files.exists(Path.of("/proc/thread-self"))).as("Linux procfs").isTrue();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Path> stat = new CompletableFuture<>();
    Thread spinner = new Thread(() -> {
      stat.complete(CpuClock.currentThreadStat());
      while (!stop.get()) {
        Thread.onSpinWait();
      }
    });
    spinner.start();
    try {
      Path path = stat.get(5, TimeUnit.SECONDS);
      long before = CpuClock.threadCpuNanos(spinner);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (CpuClock.threadCpuNanos(spinner) == before) {
        assertThat(System.nanoTime()).as("clock moves within 5 s").isLessThan(deadline);
        Thread.sleep(5);
      }
      // One look can catch the spinner parked at a safepoint (state S) on a loaded machine; a
      // computing thread is seen runnable at some look within a second, a blocked one never.
      boolean seenRunnable = false;
      for (int i = 0; i < 100 && !seenRunnable; i++) {
        seenRunnable = !CpuClock.isBlocked(spinner, path);
        if (!seenRunnable) {
          Thread.sleep(10);
        }
      }
      assertThat(seenRunnable).as("the spinner is seen runnable").isTrue();
    } finally {
      stop.set(true);
      spinner.join(5_000);
    }
  }

  @Test
  void aThreadWaitingOnALockIsBlockedWithoutAskingTheKernel() throws Exception {
    Object lock = new Object();
    Thread waiter;
    synchronized (lock) {
      waiter = new Thread(() -> {
        synchronized (lock) {
          lock.notifyAll();
        }
      });
      waiter.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (waiter.getState() != Thread.State.BLOCKED) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(1);
      }
      assertThat(CpuClock.isBlocked(waiter, null)).isTrue();
    }
    waiter.join(5_000);
  }
}
