package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;

/** One server of the comparison: a runtime in one executor mode. */
record ServerVariant(Impl impl, ExecutorMode mode) {
  /** {@code grpc-java (pooled)}, as the tables print it. */
  String label() {
    return impl.flag() + " (" + mode.flag() + ")";
  }

  /** File-name friendly form, for JFR recordings. */
  String fileName() {
    return impl.flag() + "-" + mode.flag();
  }
}
