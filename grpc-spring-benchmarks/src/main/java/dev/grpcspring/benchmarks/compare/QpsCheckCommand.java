package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.Options;
import java.io.PrintStream;

/**
 * {@code qps-check [compare's options]}: grpc-java's own qps client ({@code
 * io.grpc.benchmarks.qps.AsyncClient}, unchanged) against our server and grpc-java's server (set
 * up as grpc-java's {@code AsyncServer}), in both executor modes, alternating, compared. It is
 * {@code compare --drivers=async-client --peers=grpc-java}.
 */
public final class QpsCheckCommand {
  private QpsCheckCommand() {}

  /** Runs the command; returns the exit code (non-zero when a run failed). */
  public static int run(Options options, PrintStream out) throws Exception {
    return CompareCommand.run(options, out, "grpc-java", "async-client");
  }
}
