package dev.grpcspring.benchmarks;

import dev.grpcspring.benchmarks.client.ClientCommand;
import dev.grpcspring.benchmarks.compare.CompareCommand;
import dev.grpcspring.benchmarks.compare.QpsCheckCommand;
import dev.grpcspring.benchmarks.compare.ScalingCommand;
import dev.grpcspring.benchmarks.resilience.ChaosCommand;
import dev.grpcspring.benchmarks.resilience.SoakCommand;
import dev.grpcspring.benchmarks.hedging.HedgingBenchmark;
import dev.grpcspring.benchmarks.scaling.ChartCommand;
import dev.grpcspring.benchmarks.server.ServerCommand;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code grpc-spring-benchmarks.jar}: {@code server}, {@code client}, {@code
 * compare}, {@code qps-check}, {@code scaling}, {@code chart}, {@code soak}, {@code chaos},
 * {@code hedging} and {@code jmh} subcommands (run without arguments for usage).
 */
public final class BenchmarkMain {
  private static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar grpc-spring-benchmarks.jar <command> [--option=value ...]",
          "",
          "  server  --impl=ours|grpc-java|vertx|armeria|netty [--port=0] [--host=127.0.0.1]",
          "          [--executor=pooled|direct|event-loop] [--direct] [--canned-response-bytes=100]",
          "          [--event-loop-threads=N]  (0: the runtime's own number of I/O threads)",
          "          serves grpc.testing.BenchmarkService until killed; prints the bound port",
          "  client  --target=HOST:PORT --impl=ours|grpc-java --scenario=NAME",
          "          [--warmup=15s] [--duration=20s] [--direct]",
          "          drives any BenchmarkService server; prints QPS and p50/p99/p99.9 latency",
          "  compare [--scenario=" + CompareCommand.DEFAULT_SCENARIOS + "|all]",
          "          [--peers=grpc-java|all|grpc-java,vertx,armeria,netty]",
          "          [--drivers=all|ours,grpc-java,async-client,h2load] [--modes=pooled,direct]",
          "          [--rounds=1] [--warmup=15s] [--duration=20s] [--client-direct]",
          "          [--jvm-args='-Xms1g -Xmx2g'] [--jfr=DIR]",
          "          [--server-cpus=LIST --client-cpus=LIST]  (taskset, disjoint CPU sets)",
          "          [--event-loop-threads=N]  (the same I/O threads for every server)",
          "          every server x every driver, fresh server JVM per run; ratios ours / peer",
          "          (median of the rounds' ratios, min-max)",
          "  qps-check [compare's options]",
          "          compare --drivers=async-client --peers=grpc-java: grpc-java's own qps",
          "          AsyncClient against our server and grpc-java's",
          "  scaling [--peers=all|LIST] [--mode=default|pooled|direct] [--client=grpc-java|ours]",
          "          [--sweeps=concurrency,size,memory] [--concurrency=1,10,100,1000,10000]",
          "          [--streams-per-connection=100] [--sizes=10,100,1k,16k,256k,1m,4m]",
          "          [--size-concurrency=10] [--call=unary|streaming] [--connections=10000]",
          "          [--streams=10000] [--settle=1s] [--warmup=5s] [--duration=5s] [--jvm-args=...]",
          "          [--out=scaling-results]",
          "          QPS and p50/p99 of each server as calls in flight and messages grow, heap",
          "          per idle connection and per idle stream; writes CSV, SVG charts, results.md",
          "  chart   --in=DIR|results.csv [--out=DIR]",
          "          draws a scaling run's charts and results.md again from its CSV",
          "  soak    [--streams=1000] [--messages-per-stream=100] [--calls=16] [--payload=100]",
          "          [--duration=10m] [--sample=30s]",
          "          our client and server in one JVM under steady load; prints heap after GC,",
          "          threads and file descriptors per sample, the heap slope and failed calls",
          "  chaos   [--concurrency=32] [--deadline=2s] [--fault-every=5s] [--stall=3s]",
          "          [--duration=10m]",
          "          call loops while the server is killed, restarted with GOAWAY, connections",
          "          reset and stalled and calls cancelled; prints calls lost, duplicated, late, hung",
          "  hedging [--calls=3000] [--warmup-calls=500] [--slow-delay=50ms] [--hedging-delay=10ms]",
          "          three in-process backends, one slow, round_robin; unary p50/p99 without and",
          "          with a hedgingPolicy (2 attempts)",
          "  call-path [--classpath=CP] [--verbose]  the packages one blocking unary call passes",
          "          through on the calling thread, traced with JDI (CP: another build first)",
          "  jmh     [JMH options]   microbenchmarks of the hot paths (org.openjdk.jmh.Main)",
          "",
          "scenarios: " + Scenario.ids(),
          "grpc-java's own qps client against any of these servers:",
          "  java -cp grpc-spring-benchmarks.jar io.grpc.benchmarks.qps.AsyncClient"
              + " --address=127.0.0.1:PORT --channels=1 --outstanding_rpcs=1"
              + " --client_payload=100 --server_payload=100");

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  /** Runs one subcommand; returns the process exit code. */
  static int run(String[] args, PrintStream out) throws Exception {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    try {
      switch (command) {
        case "server":
          ServerCommand.run(Options.parse(args, 1), out);
          return 0;
        case "client":
          return ClientCommand.run(Options.parse(args, 1), out);
        case "compare":
          return CompareCommand.run(Options.parse(args, 1), out);
        case "qps-check":
          return QpsCheckCommand.run(Options.parse(args, 1), out);
        case "scaling":
          return ScalingCommand.run(Options.parse(args, 1), out,
              "java -jar grpc-spring-benchmarks.jar " + String.join(" ", args));
        case "chart":
          return ChartCommand.run(Options.parse(args, 1), out);
        case "soak":
          return SoakCommand.run(Options.parse(args, 1), out);
        case "chaos":
          return ChaosCommand.run(Options.parse(args, 1), out);
        case "hedging":
          return HedgingBenchmark.run(Options.parse(args, 1), out);
        case "call-path":
          return dev.grpcspring.benchmarks.callpath.CallPathCommand.run(Options.parse(args, 1), out);
        case "jmh":
          org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
          return 0;
        default:
          System.err.println("Unknown command '" + command + "'\n" + USAGE);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      System.err.println(command + ": " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
  }
}
