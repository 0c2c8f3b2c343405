package dev.grpcspring.benchmarks.hedging;

import com.google.protobuf.ByteString;
import dev.grpcspring.CallOptions;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.proto.BenchmarkServiceGrpc;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleResponse;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.ServerCallStreamObserver;
import dev.grpcspring.stub.StreamObserver;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The {@code hedging} scenario: three of our servers in this JVM, one of which answers every call
 * {@code slowDelay} late; one client channel with {@code round_robin} over them, one unary call
 * outstanding at a time (100 B each way). It runs twice, without and then with a {@code
 * hedgingPolicy} (two attempts, {@code hedgingDelay} apart), and reports p50 and p99 of each run
 * and the hedges the second one sent. A third of the calls land on the slow backend, so without
 * hedging p99 is about the slow delay; with it, such a call is answered by a hedge on another
 * backend after about the hedging delay, and the slow attempt is cancelled.
 */
public final class HedgingBenchmark {
  private static final String SERVICE = "grpc.testing.BenchmarkService";

  /** One run's figures. */
  public record Result(String name, long calls, long failures, long p50Micros, long p99Micros,
      long hedges) {
    String format() {
      return String.format(Locale.ROOT, "%-18s calls=%d failures=%d p50=%dus p99=%dus hedges=%d",
          name, calls, failures, p50Micros, p99Micros, hedges);
    }
  }

  private HedgingBenchmark() {}

  /** {@code hedging [--calls=3000] [--warmup-calls=500] [--slow-delay=50ms] [--hedging-delay=10ms]}. */
  public static int run(Options options, PrintStream out) throws Exception {
    int calls = options.integer("calls", 3000);
    int warmup = options.integer("warmup-calls", 500);
    Duration slow = options.duration("slow-delay", Duration.ofMillis(50));
    Duration hedgingDelay = options.duration("hedging-delay", Duration.ofMillis(10));
    options.checkAllUsed();
    out.println("hedging: 3 backends (one " + slow.toMillis() + " ms slow), round_robin, 1 unary"
        + " call outstanding, " + calls + " measured calls after " + warmup + " warm-up calls");
    for (Result r : measure(calls, warmup, slow, hedgingDelay)) {
      out.println(r.format());
    }
    return 0;
  }

  /** Runs both configurations; the backends live only for this call. */
  public static List<Result> measure(int calls, int warmup, Duration slow, Duration hedgingDelay)
      throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hedging-slow-backend");
      t.setDaemon(true);
      return t;
    });
    List<Server> servers = new ArrayList<>();
    try {
      StringBuilder target = new StringBuilder("static:///");
      for (int i = 0; i < 3; i++) {
        Server s = Server.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .registerService(new Backend(i == 0 ? slow : Duration.ZERO, timer))
            .build()
            .start();
        servers.add(s);
        target.append(i == 0 ? "" : ",").append("127.0.0.1:").append(s.getPort());
      }
      String plain = "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}";
      String hedged = "{\"loadBalancingConfig\": [{\"round_robin\": {}}], \"methodConfig\": [{"
          + "\"name\": [{\"service\": \"" + SERVICE + "\"}], \"hedgingPolicy\": {\"maxAttempts\": 2,"
          + " \"hedgingDelay\": \"" + hedgingDelay.toNanos() / 1e9 + "s\"}}]}";
      List<Result> results = new ArrayList<>();
      results.add(runOne("without hedging", target.toString(), plain, calls, warmup));
      results.add(runOne("with hedging", target.toString(), hedged, calls, warmup));
      return results;
    } finally {
      for (Server s : servers) {
        s.shutdownNow();
        if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a hedging benchmark backend did not stop within 10 s");
        }
      }
      timer.shutdownNow();
    }
  }

  private static Result runOne(String name, String target, String serviceConfig, int calls,
      int warmup) {
    SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(100)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[100]))).build();
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    long failures = 0;
    try (ClientConn cc = ClientConn.dial(target,
        DialOptions.newBuilder().insecure().defaultServiceConfig(serviceConfig).build())) {
      for (int i = 0; i < warmup + calls; i++) {
        long start = System.nanoTime();
        try {
          cc.invoke(BenchmarkServiceGrpc.getUnaryCallMethod(), request,
              CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
        } catch (RuntimeException e) {
          failures++;
          continue;
        }
        if (i >= warmup) {
          latency.recordValue(Math.min(latency.getHighestTrackableValue(),
              (System.nanoTime() - start) / 1000));
        }
      }
      return new Result(name, latency.getTotalCount(), failures,
          latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
          cc.channelz().attempts().hedges());
    }
  }

  /** Answers UnaryCall with 100 B, {@code delay} late (by a timer, not by blocking a thread). */
  private static final class Backend extends BenchmarkServiceGrpc.BenchmarkServiceImplBase {
    private final Duration delay;
    private final ScheduledExecutorService timer;

    Backend(Duration delay, ScheduledExecutorService timer) {
      this.delay = delay;
      this.timer = timer;
    }

    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
      SimpleResponse response = SimpleResponse.newBuilder()
          .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[request.getResponseSize()])))
          .build();
      if (delay.isZero()) {
        responseObserver.onNext(response);
        responseObserver.onCompleted();
        return;
      }
      ServerCallStreamObserver<SimpleResponse> call =
          (ServerCallStreamObserver<SimpleResponse>) responseObserver;
      timer.schedule(() -> {
        if (call.isCancelled()) {
          return; // a hedge won: the client reset this attempt
        }
        call.onNext(response);
        call.onCompleted();
      }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }
}
