package dev.grpcspring.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Which runtime plays a side of a benchmark: ours, or a peer we are measured against. Every one of
 * them serves {@code grpc.testing.BenchmarkService}; only ours and grpc-java also have a load client
 * in this module (the other drivers are grpc-java's {@code AsyncClient} and h2load).
 */
public enum Impl {
  /** grpc-spring, this project. */
  OURS("ours", true, List.of(ExecutorMode.POOLED, ExecutorMode.DIRECT)),
  /** grpc-java on its shaded Netty transport, set up as its own qps benchmarks set it up. */
  GRPC_JAVA("grpc-java", true, List.of(ExecutorMode.POOLED, ExecutorMode.DIRECT)),
  /** Vert.x gRPC server: handlers on Vert.x's event loops. */
  VERTX("vertx", false, List.of(ExecutorMode.EVENT_LOOP)),
  /** Armeria's gRPC service: on the event loop, or on its blocking task executor. */
  ARMERIA("armeria", false, List.of(ExecutorMode.POOLED, ExecutorMode.DIRECT)),
  /** A raw Netty HTTP/2 server answering canned bytes, no gRPC logic: the ceiling. */
  NETTY("netty", false, List.of(ExecutorMode.EVENT_LOOP));

  private final String flag;
  private final boolean hasLoadClient;
  private final List<ExecutorMode> modes;

  Impl(String flag, boolean hasLoadClient, List<ExecutorMode> modes) {
    this.flag = flag;
    this.hasLoadClient = hasLoadClient;
    this.modes = modes;
  }

  /** The name used on the command line and in reports. */
  public String flag() {
    return flag;
  }

  /** Whether this module has a load client of this runtime ({@code client --impl=...}). */
  public boolean hasLoadClient() {
    return hasLoadClient;
  }

  /** The executor modes its server can run in, the first being its default. */
  public List<ExecutorMode> modes() {
    return modes;
  }

  /** The mode a server runs in when the command line asks for {@code --direct} or not. */
  public ExecutorMode mode(boolean direct) {
    if (modes.contains(ExecutorMode.EVENT_LOOP)) {
      return ExecutorMode.EVENT_LOOP;
    }
    return direct ? ExecutorMode.DIRECT : ExecutorMode.POOLED;
  }

  /** Reads a runtime name. */
  public static Impl fromFlag(String value) {
    for (Impl impl : values()) {
      if (impl.flag.equals(value.toLowerCase(Locale.ROOT))) {
        return impl;
      }
    }
    throw new IllegalArgumentException(
        "--impl must be one of " + names() + ", got '" + value + "'");
  }

  /** Every runtime name, comma-separated. */
  public static String names() {
    StringBuilder sb = new StringBuilder();
    for (Impl impl : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(impl.flag);
    }
    return sb.toString();
  }
}
