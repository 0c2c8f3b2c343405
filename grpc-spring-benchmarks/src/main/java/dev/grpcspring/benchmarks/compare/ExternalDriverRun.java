package dev.grpcspring.benchmarks.compare;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A run driven by a program that does not announce its measured window (AsyncClient, h2load). The
 * server's counters are polled until its first response, which is when the driver's warm-up
 * began; they are sampled again when the warm-up should have ended and when the window should
 * have (or when the driver exits, if that comes first). Both samples fall under load, so CPU and
 * allocation per response hold even if the window is off by a fraction of a second. No live-heap
 * sample: forcing a collection would disturb the driver's last measured second.
 */
final class ExternalDriverRun {
  /** How often the server is asked whether load has arrived. */
  private static final long LOAD_POLL_NANOS = 250_000_000L;

  /** How the driver ended: its exit code and last stderr lines. */
  record Exit(int code, String lastErrors) {}

  private ExternalDriverRun() {}

  /**
   * Runs {@code command}, handing every stdout line to {@code lines}; returns how it ended.
   *
   * @throws IllegalStateException when it prints nothing for the line timeout
   */
  static Exit run(
      RunSettings settings, ServerProcess server, RunResult result, String name,
      List<String> command, Consumer<String> lines) throws Exception {
    long timeoutNanos = Duration.ofSeconds(settings.lineTimeoutSeconds()).toNanos();
    long loadAt = -1;
    long nextLoadPoll = System.nanoTime();
    ServerProcess.Stats before = null;
    ServerProcess.Stats after = null;
    try (ChildProcess process = ChildProcess.start(name, command, settings.echo())) {
      long lastLine = System.nanoTime();
      while (true) {
        long now = System.nanoTime();
        long nextMark;
        if (loadAt < 0) {
          if (now >= nextLoadPoll) {
            if (server.stats().responses() > 0) {
              loadAt = now;
              continue;
            }
            nextLoadPoll = now + LOAD_POLL_NANOS;
          }
          nextMark = nextLoadPoll;
        } else if (before == null) {
          long beforeAt = loadAt + settings.warmup().toNanos();
          if (now >= beforeAt) {
            before = server.stats();
            continue;
          }
          nextMark = beforeAt;
        } else if (after == null) {
          long afterAt = loadAt + settings.warmup().toNanos() + settings.duration().toNanos();
          if (now >= afterAt) {
            after = server.stats();
            continue;
          }
          nextMark = afterAt;
        } else {
          nextMark = Long.MAX_VALUE;
        }
        long wait = Math.min(nextMark - now, lastLine + timeoutNanos - now);
        String line = process.poll(Math.max(1, wait / 1_000_000));
        if (line == ChildProcess.END) {
          break;
        }
        if (line != null) {
          lastLine = System.nanoTime();
          lines.accept(line);
        } else if (System.nanoTime() - lastLine > timeoutNanos) {
          throw new IllegalStateException(name + " printed nothing for "
              + settings.lineTimeoutSeconds() + " s: " + process.lastErrors());
        }
      }
      if (before != null && after == null) {
        // The driver ended before the window should have: its load is over, its responses all
        // counted.
        after = server.stats();
      }
      int exit = process.waitFor(30, TimeUnit.SECONDS);
      if (before != null) {
        result.serverCounters(before, after);
      }
      return new Exit(exit, process.lastErrors());
    }
  }
}
