package dev.grpcspring.benchmarks.compare;

import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What sends the load in a comparison run. */
enum Driver {
  /** Our client, in this module's client JVM (closed loop, HdrHistogram). */
  OURS("ours", "our client"),
  /**
   * grpc-java's client in this module's client JVM, channels built as grpc-java's qps benchmarks
   * build them. It drives ours and grpc-java's server only: the crossing that compares the two
   * clients against the same server.
   */
  GRPC_JAVA("grpc-java", "grpc-java client (set up as AsyncClient)"),
  /** grpc-java's own {@code io.grpc.benchmarks.qps.AsyncClient}, unchanged, in its own JVM. */
  ASYNC_CLIENT("async-client", "grpc-java AsyncClient"),
  /** nghttp2's h2load posting a pre-built gRPC request; unary scenarios only. */
  H2LOAD("h2load", "h2load");

  private final String flag;
  private final String label;

  Driver(String flag, String label) {
    this.flag = flag;
    this.label = label;
  }

  String flag() {
    return flag;
  }

  /** How the tables name it. */
  String label() {
    return label;
  }

  /** Whether it can run the scenario (h2load sends one request per stream: no ping-pong). */
  boolean supports(Scenario scenario) {
    return this != H2LOAD || !scenario.streaming();
  }

  /** Whether it drives that server (this module's grpc-java client: ours and grpc-java only). */
  boolean drives(ServerVariant server) {
    return this != GRPC_JAVA || server.impl() == Impl.OURS || server.impl() == Impl.GRPC_JAVA;
  }

  /** {@code all} or a comma-separated list of driver names. */
  static List<Driver> parseList(String value) {
    List<Driver> list = new ArrayList<>();
    if (value.equals("all")) {
      return List.of(values());
    }
    for (String part : value.split(",")) {
      list.add(fromFlag(part.trim()));
    }
    return list;
  }

  static Driver fromFlag(String value) {
    for (Driver d : values()) {
      if (d.flag.equals(value.toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "--drivers takes all or ours, grpc-java, async-client, h2load; got '" + value + "'");
  }
}
