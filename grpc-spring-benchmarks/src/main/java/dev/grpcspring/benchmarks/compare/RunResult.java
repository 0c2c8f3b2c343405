package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.Scenario;

/**
 * One measured run: a driver against a fresh server in one round. Figures a driver does not report
 * are NaN (h2load has no percentiles, only a mean; only this module's clients count their
 * allocation).
 */
final class RunResult {
  final int round;
  final Scenario scenario;
  final Driver driver;
  final ServerVariant server;
  double qps = Double.NaN;
  double p50Micros = Double.NaN;
  double p99Micros = Double.NaN;
  double p999Micros = Double.NaN;
  double meanMicros = Double.NaN;
  double clientAllocBytesPerCall = Double.NaN;
  double serverAllocBytesPerCall = Double.NaN;
  double serverCpuMicrosPerCall = Double.NaN;
  double serverLiveHeapMiB = Double.NaN;
  long failures;
  /** The first failed call's description, or null. */
  String firstFailure;
  /** Why the run produced no numbers, or null. */
  String error;

  RunResult(int round, Scenario scenario, Driver driver, ServerVariant server) {
    this.round = round;
    this.scenario = scenario;
    this.driver = driver;
    this.server = server;
  }

  static RunResult failed(
      int round, Scenario scenario, Driver driver, ServerVariant server, String error) {
    RunResult r = new RunResult(round, scenario, driver, server);
    r.error = error;
    return r;
  }

  /** Numbers came, some call completed in the window, and none failed. */
  boolean ok() {
    return error == null && failures == 0 && qps > 0;
  }

  /** Fills in the server's CPU and allocation per response over a window of its counters. */
  void serverCounters(ServerProcess.Stats before, ServerProcess.Stats after) {
    long responses = after.responses() - before.responses();
    if (responses > 0) {
      serverCpuMicrosPerCall = (after.cpuNanos() - before.cpuNanos()) / 1e3 / responses;
      serverAllocBytesPerCall = (double) (after.allocBytes() - before.allocBytes()) / responses;
    }
  }
}
