package dev.grpcspring.interop;

import com.google.protobuf.ByteString;
import dev.grpcspring.Channel;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.interop.testing.Payload;
import dev.grpcspring.interop.testing.SimpleRequest;
import dev.grpcspring.interop.testing.SimpleResponse;
import dev.grpcspring.interop.testing.TestServiceGrpc;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The rpc_soak and channel_soak cases: many large unary calls, on one channel (rpc_soak) or on a
 * new channel each time (channel_soak). A call fails the iteration if it errs or takes longer than
 * the per-iteration limit; the case passes when every iteration ran within the overall timeout and
 * no more than the allowed number failed.
 */
final class SoakTest {
  private static final Logger logger = Logger.getLogger(SoakTest.class.getName());

  /**
   * Soak parameters, named after the interop clients' {@code --soak_*} flags; the defaults are
   * grpc-go's and grpc-java's.
   */
  record Config(int iterations, int maxFailures, int maxAcceptableLatencyMs,
      int overallTimeoutSeconds, int minTimeMsBetweenRpcs, int requestSize, int responseSize) {
    static final Config DEFAULTS = new Config(10, 0, 1000, 10, 0, 271828, 314159);
  }

  /** A channel for one iteration; closing it after the call is the caller's business. */
  interface ChannelSource {
    Channel open();

    void release(Channel channel);
  }

  private SoakTest() {}

  /** One channel for every call: rpc_soak. */
  static ChannelSource shared(Channel channel) {
    return new ChannelSource() {
      @Override
      public Channel open() {
        return channel;
      }

      @Override
      public void release(Channel c) {}
    };
  }

  /** A new channel for every call, closed after it: channel_soak. */
  static <C extends Channel & AutoCloseable> ChannelSource fresh(Supplier<C> dial) {
    return new ChannelSource() {
      @Override
      public Channel open() {
        return dial.get();
      }

      @Override
      public void release(Channel c) {
        try {
          ((AutoCloseable) c).close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the soak iteration's channel failed: " + e, e);
        }
      }
    };
  }

  static void run(Config config, ChannelSource channels) throws InterruptedException {
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseSize(config.responseSize())
        .setPayload(Payload.newBuilder()
            .setBody(ByteString.copyFrom(new byte[config.requestSize()])))
        .build();
    long overallDeadline =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(config.overallTimeoutSeconds());
    int done = 0;
    int failures = 0;
    StringBuilder firstFailures = new StringBuilder();
    for (; done < config.iterations(); done++) {
      if (System.nanoTime() - overallDeadline > 0) {
        break;
      }
      long start = System.nanoTime();
      String failure = oneIteration(config, channels, request);
      long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (failure == null && latencyMs > config.maxAcceptableLatencyMs()) {
        failure = "took " + latencyMs + " ms, over the " + config.maxAcceptableLatencyMs()
            + " ms limit";
      }
      if (failure != null) {
        failures++;
        logger.fine("soak iteration " + done + " failed: " + failure);
        if (failures <= 3) {
          firstFailures.append(firstFailures.length() == 0 ? "" : "; ")
              .append("iteration ").append(done).append(": ").append(failure);
        }
      }
      long waitMs = config.minTimeMsBetweenRpcs()
          - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (waitMs > 0) {
        Thread.sleep(waitMs);
      }
    }
    if (done < config.iterations()) {
      throw new AssertionError("only " + done + " of " + config.iterations()
          + " iterations ran within " + config.overallTimeoutSeconds() + " s");
    }
    if (failures > config.maxFailures()) {
      throw new AssertionError(failures + " of " + done + " iterations failed, more than the "
          + config.maxFailures() + " allowed; first: " + firstFailures);
    }
  }

  /** Runs one call; returns why it failed, or null. */
  private static String oneIteration(
      Config config, ChannelSource channels, SimpleRequest request) {
    Channel channel = channels.open();
    try {
      SimpleResponse response = TestServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(Math.max(config.maxAcceptableLatencyMs(), 1000) * 10L,
              TimeUnit.MILLISECONDS)
          .unaryCall(request);
      int size = response.getPayload().getBody().size();
      return size == config.responseSize() ? null
          : "the response carried " + size + " bytes instead of " + config.responseSize();
    } catch (StatusException e) {
      Status s = e.getStatus();
      return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    } finally {
      channels.release(channel);
    }
  }
}
