package dev.grpcspring.benchmarks;

import java.util.Locale;

/** Where a server runs service code. */
public enum ExecutorMode {
  /**
   * Handed off from the transport threads to an executor: our default executor, grpc-java's
   * {@code ForkJoinPool} (as its {@code AsyncServer} sets it up), Armeria's blocking task executor.
   */
  POOLED("pooled"),
  /** On the transport's event loop ({@code directExecutor()}, Armeria's non-blocking services). */
  DIRECT("direct"),
  /** Servers that only run on their event loops (Vert.x, the raw Netty ceiling). */
  EVENT_LOOP("event-loop");

  private final String flag;

  ExecutorMode(String flag) {
    this.flag = flag;
  }

  public String flag() {
    return flag;
  }

  public static ExecutorMode fromFlag(String value) {
    for (ExecutorMode mode : values()) {
      if (mode.flag.equals(value.toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "executor mode must be pooled, direct or event-loop, got '" + value + "'");
  }
}
