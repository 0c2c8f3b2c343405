package dev.grpcspring.benchmarks.resilience;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.server.Server;
import dev.grpcspring.stub.ClientCalls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code chaos}: {@code --concurrency} unary call loops, each call with a {@code --deadline},
 * through a {@link ChaosProxy} to our server, while every {@code --fault-every} one fault strikes
 * in turn: the server killed (every call cancelled, connections closed) and restarted on its port;
 * a graceful restart (GOAWAY, then a new server); every connection reset (TCP RST); the proxy
 * stalled for {@code --stall} with connections open; a burst of client cancellations (RST_STREAM
 * CANCEL on calls in flight). Reports, by status code, how calls ended, and the calls lost
 * (succeeded at the client, never executed by a server), duplicated (executed twice), late (ended
 * more than a second after their deadline) and hung (no status 5 s after their deadline). Exit
 * code 0 when none was lost, duplicated, late or hung.
 */
public final class ChaosCommand {
  private static final List<String> FAULTS = List.of("kill", "goaway", "reset", "stall", "cancel");

  private final int concurrency;
  private final Duration deadline;
  private final Duration stall;
  private final ResilienceService service = new ResilienceService(true);
  private final Map<String, Long> outstanding = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<StringValue>> futures = new ConcurrentHashMap<>();
  private final Set<String> okIds = ConcurrentHashMap.newKeySet();
  private final Set<String> hung = ConcurrentHashMap.newKeySet();
  private final Map<Code, LongAdder> ended = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> faults = new TreeMap<>();
  private final LongAdder late = new LongAdder();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger loops = new AtomicInteger();
  private volatile boolean stopping;
  private volatile Server server;
  private int port;
  private ClientConn cc;

  private ChaosCommand(Options o) {
    this.concurrency = o.integer("concurrency", 32);
    this.deadline = o.duration("deadline", Duration.ofSeconds(2));
    this.stall = o.duration("stall", Duration.ofSeconds(3));
  }

  public static int run(Options o, PrintStream out) throws Exception {
    ChaosCommand chaos = new ChaosCommand(o);
    Duration duration = o.duration("duration", Duration.ofMinutes(10));
    Duration faultEvery = o.duration("fault-every", Duration.ofSeconds(5));
    o.checkAllUsed();
    return chaos.run(duration, faultEvery, out);
  }

  private int run(Duration duration, Duration faultEvery, PrintStream out) throws Exception {
    server = startServer(0);
    port = server.getPort();
    try (ChaosProxy proxy = new ChaosProxy(port)) {
      cc = ClientConn.dial("127.0.0.1:" + proxy.port(), DialOptions.newBuilder().insecure()
          .connectBackoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofSeconds(1))
          .minConnectTimeout(Duration.ofSeconds(2)).build());
      out.printf("chaos: %d call loops, deadline %s, a fault every %s (%s), stall %s, for %s%n",
          concurrency, deadline, faultEvery, String.join(", ", FAULTS), stall, duration);
      for (int i = 0; i < concurrency; i++) {
        loops.incrementAndGet();
        next();
      }
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      int round = 0;
      while (System.nanoTime() + faultEvery.toNanos() <= end) {
        TimeUnit.NANOSECONDS.sleep(faultEvery.toNanos());
        String fault = FAULTS.get(round++ % FAULTS.size());
        strike(fault, proxy);
        faults.computeIfAbsent(fault, f -> new LongAdder()).increment();
        watchForHung();
        out.printf("%8.0fs  %-6s  calls %d  ok %d  hung %d  late %d%n",
            (System.nanoTime() - start) / 1e9, fault, ids.get(), okIds.size(), hung.size(),
            late.sum());
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
      stopping = true;
      // Every call in flight must end by its deadline; give them that and the hung margin.
      long drain = System.nanoTime() + deadline.toNanos() + TimeUnit.SECONDS.toNanos(5);
      while (!outstanding.isEmpty() && System.nanoTime() < drain) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      watchForHung();
      hung.addAll(outstanding.keySet());
      cc.close();
    } finally {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    long lost = okIds.stream().filter(id -> !service.executions.containsKey(id)).count();
    long duplicated = service.executions.values().stream().filter(n -> n.get() > 1).count();
    Map<Code, Long> byCode = new TreeMap<>();
    ended.forEach((c, n) -> byCode.put(c, n.sum()));
    out.printf("chaos result: calls %d, ended %s; faults %s%n", ids.get(), byCode, faults);
    out.printf("chaos result: lost %d, duplicated %d, late %d, hung %d%n", lost, duplicated,
        late.sum(), hung.size());
    return lost == 0 && duplicated == 0 && late.sum() == 0 && hung.isEmpty() ? 0 : 1;
  }

  private Server startServer(int onPort) throws IOException, InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return Server.builder().address(new InetSocketAddress("127.0.0.1", onPort))
            .registerService(service.definition()).build().start();
      } catch (IOException e) {
        // The old server's listening socket may take a moment to close.
        if (System.nanoTime() > giveUp) {
          throw new IOException("Could not restart the server on port " + onPort, e);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
  }

  private void strike(String fault, ChaosProxy proxy) throws Exception {
    switch (fault) {
      case "kill" -> {
        server.shutdownNow();
        TimeUnit.MILLISECONDS.sleep(500); // down for a moment: connects fail, calls wait or fail
        server = startServer(port);
      }
      case "goaway" -> {
        Server old = server;
        old.shutdown(); // GOAWAY to every connection; calls in flight may finish
        server = startServer(port);
      }
      case "reset" -> proxy.resetAll();
      case "stall" -> proxy.stall(stall.toNanos());
      case "cancel" -> {
        int n = 0;
        for (CompletableFuture<StringValue> f : futures.values()) {
          if (n++ % 2 == 0) {
            f.cancel(true); // half the calls in flight: RST_STREAM CANCEL
          }
        }
      }
      default -> throw new IllegalStateException("Unknown fault " + fault);
    }
  }

  /** Calls without a status well past their deadline are hung. */
  private void watchForHung() {
    long limit = deadline.toNanos() + TimeUnit.SECONDS.toNanos(5);
    long now = System.nanoTime();
    outstanding.forEach((id, started) -> {
      if (now - started > limit) {
        hung.add(id);
      }
    });
  }

  private void next() {
    if (stopping) {
      loops.decrementAndGet();
      return;
    }
    String id = "call-" + ids.incrementAndGet();
    long started = System.nanoTime();
    outstanding.put(id, started);
    CompletableFuture<StringValue> f = ClientCalls.futureUnaryCall(
        cc.newCall(ResilienceService.UNARY, CallOptions.DEFAULT.withDeadlineAfter(
            deadline.toNanos(), TimeUnit.NANOSECONDS)), StringValue.of(id));
    futures.put(id, f);
    f.whenComplete((r, t) -> {
      long took = System.nanoTime() - started;
      if (took > deadline.toNanos() + TimeUnit.SECONDS.toNanos(1)) {
        late.increment();
      }
      Code code = t == null ? Code.OK : Status.fromThrowable(t).getCode();
      if (t == null) {
        okIds.add(id);
      }
      ended.computeIfAbsent(code, c -> new LongAdder()).increment();
      futures.remove(id);
      outstanding.remove(id);
      next();
    });
  }
}
