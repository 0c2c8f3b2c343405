package dev.grpcspring.benchmarks;

import java.util.Locale;

/** Which gRPC runtime plays a side of a benchmark. */
public enum Impl {
  /** grpc-spring, this project. */
  OURS("ours"),
  /** grpc-java on its shaded Netty transport, the reference we are measured against. */
  GRPC_JAVA("grpc-java");

  private final String flag;

  Impl(String flag) {
    this.flag = flag;
  }

  /** The name used on the command line and in reports. */
  public String flag() {
    return flag;
  }

  /** Reads {@code ours} or {@code grpc-java}. */
  public static Impl fromFlag(String value) {
    for (Impl impl : values()) {
      if (impl.flag.equals(value.toLowerCase(Locale.ROOT))) {
        return impl;
      }
    }
    throw new IllegalArgumentException("--impl must be 'ours' or 'grpc-java', got '" + value + "'");
  }
}
