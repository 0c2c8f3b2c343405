package dev.grpcspring.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM for the cross-process tests: started with this JVM's {@code java}, its output
 * collected line by line (stdout and stderr merged) so that a test can wait for a line, read what it
 * printed, and always kill it at the end.
 */
final class JavaProcess implements AutoCloseable {
  private static final Pattern PORT_LINE =
      Pattern.compile("grpc-spring interop server listening on port (\\d+)");

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> output = new ArrayList<>();
  private final Thread reader;

  private JavaProcess(List<String> command) throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    reader = new Thread(this::readOutput, "child-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code java [jvmArgs] -cp <this JVM's class path> mainClass args}. */
  static JavaProcess withClassPath(String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new JavaProcess(command);
  }

  /** {@code java -jar jar args}. */
  static JavaProcess withJar(Path jar, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return new JavaProcess(command);
  }

  /** Waits for the server's ready line and returns the port it names. */
  int awaitPort(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("the server printed no port line within "
            + unit.toMillis(timeout) + " ms (alive: " + process.isAlive() + "); output:\n"
            + output());
      }
      Matcher m = PORT_LINE.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
  }

  /** Waits for the process to exit and returns its exit code. */
  int awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      throw new AssertionError("the process did not exit within " + unit.toMillis(timeout)
          + " ms; output:\n" + output());
    }
    reader.join(unit.toMillis(timeout));
    return process.exitValue();
  }

  /** Everything the process printed so far. */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (output) {
          output.add(line);
        }
        lines.add(line);
      }
    } catch (IOException e) {
      synchronized (output) {
        output.add("[reading the child's output failed: " + e + "]");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
