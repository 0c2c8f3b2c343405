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
import dev.grpcspring.stub.StreamObserver;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code soak}: our client and server in this JVM, holding {@code --streams} bidi streams open
 * (each ping-pongs {@code --messages-per-stream} messages, then ends and a new one takes its place)
 * and running {@code --calls} unary calls back to back, for {@code --duration}. Every {@code
 * --sample} it prints heap after GC, threads and open file descriptors; at the end the heap slope
 * (a leak shows as a steady positive slope) and the failed calls. Exit code 0 when none failed.
 */
public final class SoakCommand {
  private final int streams;
  private final int calls;
  private final int messagesPerStream;
  private final String payload;
  private final LongAdder streamsCompleted = new LongAdder();
  private final LongAdder messages = new LongAdder();
  private final LongAdder unaryOk = new LongAdder();
  private final Map<Code, LongAdder> failures = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopping;
  private ClientConn cc;

  private SoakCommand(Options o) {
    this.streams = o.integer("streams", 1000);
    this.calls = o.integer("calls", 16);
    this.messagesPerStream = o.integer("messages-per-stream", 100);
    this.payload = "x".repeat(o.integer("payload", 100));
  }

  public static int run(Options o, PrintStream out) throws Exception {
    SoakCommand soak = new SoakCommand(o);
    Duration duration = o.duration("duration", Duration.ofMinutes(10));
    Duration sample = o.duration("sample", Duration.ofSeconds(30));
    o.checkAllUsed();
    return soak.run(duration, sample, out);
  }

  private int run(Duration duration, Duration sampleEvery, PrintStream out) throws Exception {
    ResilienceService service = new ResilienceService(false);
    Server server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service.definition()).build().start();
    cc = ClientConn.dial("127.0.0.1:" + server.getPort(),
        DialOptions.newBuilder().insecure().build());
    out.printf("soak: %d streams x %d messages, %d unary loops, %s, samples every %s%n",
        streams, messagesPerStream, calls, duration, sampleEvery);
    long start = System.nanoTime();
    List<JvmSample> samples = new ArrayList<>();
    samples.add(JvmSample.take(0));
    out.println(samples.get(0).line() + "  (before load)");
    for (int i = 0; i < streams; i++) {
      startStream();
    }
    for (int i = 0; i < calls; i++) {
      startUnary();
    }
    long end = start + duration.toNanos();
    long next = start + sampleEvery.toNanos();
    while (next <= end) {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
      JvmSample s = JvmSample.take((System.nanoTime() - start) / 1e9);
      samples.add(s);
      out.printf("%s  streams-done %d  messages %d  unary-ok %d  failed %d%n", s.line(),
          streamsCompleted.sum(), messages.sum(), unaryOk.sum(), failed());
      next += sampleEvery.toNanos();
    }
    TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
    stopping = true;
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    int stuck = inFlight.get();
    cc.close();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    // The slope leaves out the sample taken before any load (class loading, pools filling).
    List<JvmSample> underLoad = samples.subList(1, samples.size());
    double slope = JvmSample.heapSlopeMibPerMinute(underLoad);
    JvmSample first = underLoad.isEmpty() ? samples.get(0) : underLoad.get(0);
    JvmSample last = samples.get(samples.size() - 1);
    out.printf("soak result: streams completed %d, messages %d, unary calls ok %d, failed calls %d"
        + " %s, still open at the end %d%n", streamsCompleted.sum(), messages.sum(), unaryOk.sum(),
        failed(), failures, stuck);
    out.printf("soak heap after GC: first %.1f MiB, last %.1f MiB, slope %.3f MiB/min over %d"
        + " samples; threads %d -> %d; fds %d -> %d%n", first.heapAfterGcBytes() / 1048576.0,
        last.heapAfterGcBytes() / 1048576.0, slope, underLoad.size(), first.threads(),
        last.threads(), first.openFds(), last.openFds());
    return failed() == 0 && stuck == 0 ? 0 : 1;
  }

  private long failed() {
    return failures.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private void fail(Throwable t) {
    Status s = Status.fromThrowable(t);
    failures.computeIfAbsent(s.getCode(), c -> new LongAdder()).increment();
  }

  private void startStream() {
    if (stopping) {
      return;
    }
    inFlight.incrementAndGet();
    int[] count = {0};
    @SuppressWarnings("unchecked")
    StreamObserver<StringValue>[] requests = new StreamObserver[1];
    requests[0] = ClientCalls.asyncBidiStreamingCall(
        cc.newCall(ResilienceService.BIDI, CallOptions.DEFAULT),
        new StreamObserver<>() {
          @Override
          public void onNext(StringValue v) {
            messages.increment();
            // Responses of one call arrive one at a time: count needs no lock.
            if (++count[0] < messagesPerStream && !stopping) {
              requests[0].onNext(StringValue.of(payload));
            } else {
              requests[0].onCompleted();
            }
          }

          @Override
          public void onError(Throwable t) {
            fail(t);
            inFlight.decrementAndGet();
            startStream();
          }

          @Override
          public void onCompleted() {
            streamsCompleted.increment();
            inFlight.decrementAndGet();
            startStream();
          }
        });
    requests[0].onNext(StringValue.of(payload));
  }

  private void startUnary() {
    if (stopping) {
      return;
    }
    inFlight.incrementAndGet();
    ClientCalls.futureUnaryCall(cc.newCall(ResilienceService.UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), StringValue.of(payload))
        .whenComplete((r, t) -> {
          if (t == null) {
            unaryOk.increment();
          } else {
            fail(t);
          }
          inFlight.decrementAndGet();
          startUnary();
        });
  }
}
