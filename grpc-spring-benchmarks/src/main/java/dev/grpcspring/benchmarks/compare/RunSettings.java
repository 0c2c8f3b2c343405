package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.BenchmarkTls;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every run of one comparison shares.
 *
 * @param clientDirect whether this module's clients and AsyncClient run callbacks on their event
 *     loops ({@code --directexecutor}); the same for every server, so ratios compare servers only
 * @param jfrDir where child JVMs record JFR profiles, or null
 * @param echo where child processes' stderr goes
 * @param tls TLS for every server and client of the comparison, or null for plaintext
 * @param pinning the CPUs servers and drivers run on ({@code --server-cpus}, {@code --client-cpus})
 * @param eventLoopThreads I/O threads of every server ({@code --event-loop-threads}); 0 leaves each
 *     runtime's own default
 */
record RunSettings(
    Duration warmup,
    Duration duration,
    List<String> jvmArgs,
    boolean clientDirect,
    Path jfrDir,
    PrintStream echo,
    BenchmarkTls tls,
    CpuPinning pinning,
    int eventLoopThreads) {

  /** Plaintext settings, unpinned. */
  RunSettings(Duration warmup, Duration duration, List<String> jvmArgs, boolean clientDirect,
      Path jfrDir, PrintStream echo) {
    this(warmup, duration, jvmArgs, clientDirect, jfrDir, echo, null, CpuPinning.NONE, 0);
  }

  /** The flags that give a child server or client the comparison's TLS; none for plaintext. */
  List<String> tlsFlags() {
    return tls == null ? List.of() : tls.flags();
  }

  /** A child server's flags past its implementation and mode: TLS and its I/O threads. */
  List<String> serverFlags() {
    List<String> flags = new ArrayList<>(tlsFlags());
    if (eventLoopThreads > 0) {
      flags.add("--event-loop-threads=" + eventLoopThreads);
    }
    return flags;
  }

  /** How the servers' I/O threads were chosen, for the report. */
  String describeEventLoops() {
    return eventLoopThreads > 0 ? "every server on " + eventLoopThreads + " I/O threads"
        : "each server with its own number of I/O threads";
  }

  /** The child JVM's flags; {@code recording} names its JFR file when a directory is set. */
  List<String> vmArgs(String recording) {
    List<String> args = new ArrayList<>(jvmArgs);
    if (jfrDir != null) {
      args.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
          + jfrDir.resolve(recording + ".jfr"));
    }
    return args;
  }

  /** How long to wait for a line from a driver before calling it hung. */
  long lineTimeoutSeconds() {
    return warmup.toSeconds() + duration.toSeconds() + 120;
  }
}
