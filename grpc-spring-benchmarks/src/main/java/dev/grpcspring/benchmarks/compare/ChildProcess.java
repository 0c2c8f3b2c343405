package dev.grpcspring.benchmarks.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A benchmark JVM started by the harness: its stdout arrives line by line, its stderr is echoed
 * with a prefix (and the last lines kept to explain a failure), and its stdin takes commands.
 */
final class ChildProcess implements AutoCloseable {
  private static final String EOF = new String("<end of output>");
  /** What {@link #poll} returns at end of output (compare with ==). */
  static final String END = EOF;
  private static final int KEPT_ERROR_LINES = 8;

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final Deque<String> lastErrors = new ArrayDeque<>();

  private ChildProcess(String name, Process process, PrintStream echo) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread out = new Thread(() -> pumpStdout(process.getInputStream()), name + "-stdout");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> pumpStderr(process.getErrorStream(), echo), name + "-stderr");
    err.setDaemon(true);
    err.start();
  }

  static ChildProcess start(String name, List<String> command, PrintStream echo)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    return new ChildProcess(name, builder.start(), echo);
  }

  private void pumpStdout(InputStream in) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        stdout.add(line);
      }
    } catch (IOException e) {
      stdout.add("[" + name + " stdout unreadable: " + e + "]");
    } finally {
      stdout.add(EOF);
    }
  }

  private void pumpStderr(InputStream in, PrintStream echo) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        echo.println("[" + name + "] " + line);
        synchronized (lastErrors) {
          lastErrors.addLast(line);
          if (lastErrors.size() > KEPT_ERROR_LINES) {
            lastErrors.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      echo.println("[" + name + "] stderr unreadable: " + e);
    }
  }

  /**
   * The next stdout line, or null at end of output.
   *
   * @throws IllegalStateException when nothing arrives within the timeout
   */
  String nextLine(long timeout, TimeUnit unit) throws InterruptedException {
    String line = stdout.poll(timeout, unit);
    if (line == null) {
      throw new IllegalStateException(
          name + " printed nothing for " + unit.toSeconds(timeout) + " s" + lastErrorsSuffix());
    }
    return line == EOF ? null : line;
  }

  /**
   * The next stdout line, {@link #END} at end of output, or null when nothing arrived within
   * {@code millis}.
   */
  String poll(long millis) throws InterruptedException {
    String line = stdout.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
    if (line == EOF) {
      stdout.add(EOF);
      return END;
    }
    return line;
  }

  /** Skips stdout lines until one matches; fails at end of output or after the timeout. */
  String awaitLine(Predicate<String> match, String what, long timeout, TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new IllegalStateException(
            name + " did not print " + what + " within " + unit.toSeconds(timeout) + " s"
                + lastErrorsSuffix());
      }
      if (line == EOF) {
        stdout.add(EOF);
        throw new IllegalStateException(
            name + " ended before printing " + what + exitSuffix() + lastErrorsSuffix());
      }
      if (match.test(line)) {
        return line;
      }
    }
  }

  void send(String command) throws IOException {
    stdin.write(command);
    stdin.write('\n');
    stdin.flush();
  }

  /** Waits for the process to exit; kills it if it has not after the timeout. Returns its code. */
  int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(name + " did not exit within " + unit.toSeconds(timeout)
          + " s and was killed");
    }
    return process.exitValue();
  }

  /** The last stderr lines, for a failure message. */
  String lastErrors() {
    synchronized (lastErrors) {
      return String.join(" | ", lastErrors);
    }
  }

  private String lastErrorsSuffix() {
    String errors = lastErrors();
    return errors.isEmpty() ? "" : "; its last stderr lines: " + errors;
  }

  private String exitSuffix() {
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return " (exit code " + process.exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /** Kills the process if it is still running (at once, if this thread is interrupted). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
