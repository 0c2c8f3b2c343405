package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.client.ClientResult;

/** One measured run of a client runtime against a server runtime, with the server's counters. */
final class PairResult {
  final Scenario scenario;
  final Impl client;
  final Impl server;
  /** Null when the run failed before producing a result. */
  final ClientResult result;
  final double serverAllocBytesPerCall;
  final double serverCpuMicrosPerCall;
  final double serverLiveHeapMiB;
  /** Why the run failed, or null. */
  final String error;

  PairResult(
      Scenario scenario,
      Impl client,
      Impl server,
      ClientResult result,
      double serverAllocBytesPerCall,
      double serverCpuMicrosPerCall,
      double serverLiveHeapMiB,
      String error) {
    this.scenario = scenario;
    this.client = client;
    this.server = server;
    this.result = result;
    this.serverAllocBytesPerCall = serverAllocBytesPerCall;
    this.serverCpuMicrosPerCall = serverCpuMicrosPerCall;
    this.serverLiveHeapMiB = serverLiveHeapMiB;
    this.error = error;
  }

  static PairResult failed(Scenario scenario, Impl client, Impl server, String error) {
    return new PairResult(scenario, client, server, null, Double.NaN, Double.NaN, Double.NaN,
        error);
  }

  String pairName() {
    return client.flag() + " -> " + server.flag();
  }
}
