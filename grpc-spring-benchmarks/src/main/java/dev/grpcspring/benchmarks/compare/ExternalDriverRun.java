package dev.grpcspring.benchmarks.compare;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A run driven by a program that does not announce its measured window (AsyncClient, h2load): the
 * server's counters are sampled when the driver's warm-up should have ended and again when its
 * window should have, counted from its start. Both samples fall under load, so CPU and allocation
 * per response hold even though the window is off by the driver's start-up time. No live-heap
 * sample: forcing a collection would disturb the driver's last measured second.
 */
final class ExternalDriverRun {
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
    long start = System.nanoTime();
    long beforeAt = start + settings.warmup().toNanos();
    long afterAt = beforeAt + settings.duration().toNanos();
    long timeoutNanos = Duration.ofSeconds(settings.lineTimeoutSeconds()).toNanos();
    ServerProcess.Stats before = null;
    ServerProcess.Stats after = null;
    try (ChildProcess process = ChildProcess.start(name, command, settings.echo())) {
      long lastLine = System.nanoTime();
      while (true) {
        long now = System.nanoTime();
        if (before == null && now >= beforeAt) {
          before = server.stats();
        } else if (before != null && after == null && now >= afterAt) {
          after = server.stats();
        }
        long nextMark = before == null ? beforeAt : after == null ? afterAt : Long.MAX_VALUE;
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
      int exit = process.waitFor(30, TimeUnit.SECONDS);
      if (before != null && after != null) {
        result.serverCounters(before, after);
      }
      return new Exit(exit, process.lastErrors());
    }
  }
}
