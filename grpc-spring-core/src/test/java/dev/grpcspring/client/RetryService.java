package dev.grpcspring.client;

import com.google.protobuf.StringValue;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java service ({@code test.Retry}) that fails the first attempts of a call, for retry
 * tests. The first request message steers it: {@code key=K;fail=N;code=CODE;pushback=V;headers=1}
 * fails the first N attempts made with key K with CODE (UNAVAILABLE by default), sending {@code
 * grpc-retry-pushback-ms: V} when given, and sending response headers first when {@code headers=1}.
 * With {@code stall=N} the attempts sent with fewer than N previous attempts never answer (for hedging: they wait to be cancelled).
 * Each attempt reads every request until the half-close and answers with them joined by spaces.
 * Every attempt is recorded per key, and so is every cancellation the server sees.
 */
final class RetryService {
  static final String SERVICE = "test.Retry";
  static final dev.grpcspring.MethodDescriptor<StringValue, StringValue> UNARY =
      ours("Unary", dev.grpcspring.MethodType.UNARY);
  static final dev.grpcspring.MethodDescriptor<StringValue, StringValue> CLIENT_STREAM =
      ours("ClientStream", dev.grpcspring.MethodType.CLIENT_STREAMING);
  static final dev.grpcspring.MethodDescriptor<StringValue, StringValue> BIDI =
      ours("Bidi", dev.grpcspring.MethodType.BIDI_STREAMING);

  private static final Metadata.Key<String> PREVIOUS =
      Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** One attempt as the server saw it. */
  record Attempt(long startNanos, String previousAttempts, String body) {}

  private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> cancellations = new ConcurrentHashMap<>();

  /** Waits until the server has seen {@code n} attempts with {@code key} cancelled by the client. */
  boolean awaitCancellations(String key, int n, long timeout, TimeUnit unit) throws InterruptedException {
    return cancelled(key).tryAcquire(n, timeout, unit);
  }

  /** Cancellations seen so far for {@code key} and not yet awaited. */
  int cancellations(String key) {
    return cancelled(key).availablePermits();
  }

  private Semaphore cancelled(String key) {
    return cancellations.computeIfAbsent(key, k -> new Semaphore(0));
  }

  List<Attempt> attempts(String key) {
    return attempts.getOrDefault(key, List.of());
  }

  ServerServiceDefinition definition() {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(SERVICE);
    b.addMethod(JavaPeer.theirsIn(SERVICE, "Unary", io.grpc.MethodDescriptor.MethodType.UNARY), this::start);
    b.addMethod(JavaPeer.theirsIn(SERVICE, "ClientStream",
        io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING), this::start);
    b.addMethod(JavaPeer.theirsIn(SERVICE, "Bidi", io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING),
        this::start);
    return b.build();
  }

  private ServerCall.Listener<StringValue> start(ServerCall<StringValue, StringValue> call, Metadata headers) {
    long start = System.nanoTime();
    String previous = headers.get(PREVIOUS);
    List<String> received = new ArrayList<>();
    call.request(1);
    return new ServerCall.Listener<>() {
      @Override
      public void onCancel() {
        cancelled(parse(received.isEmpty() ? "" : received.get(0)).getOrDefault("key", "")).release();
      }

      @Override
      public void onMessage(StringValue message) {
        received.add(message.getValue());
        call.request(1);
      }

      @Override
      public void onHalfClose() {
        Map<String, String> spec = parse(received.isEmpty() ? "" : received.get(0));
        String key = spec.getOrDefault("key", "");
        String body = String.join(" ", received);
        List<Attempt> list = attempts.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
        list.add(new Attempt(start, previous, body));
        int index = previous == null ? 0 : Integer.parseInt(previous);
        if (index < Integer.parseInt(spec.getOrDefault("stall", "0"))) {
          return; // no answer: the client's deadline or a winning hedge cancels this attempt
        }
        int fail = Integer.parseInt(spec.getOrDefault("fail", "0"));
        if (list.size() <= fail) {
          if ("1".equals(spec.get("headers"))) {
            call.sendHeaders(new Metadata());
          }
          Metadata trailers = new Metadata();
          if (spec.containsKey("pushback")) {
            trailers.put(PUSHBACK, spec.get("pushback"));
          }
          Status.Code code = Status.Code.valueOf(spec.getOrDefault("code", "UNAVAILABLE"));
          call.close(code.toStatus().withDescription("attempt " + list.size() + " fails on purpose"),
              trailers);
          return;
        }
        call.sendHeaders(new Metadata());
        call.sendMessage(StringValue.of(body));
        call.close(Status.OK, new Metadata());
      }
    };
  }

  private static Map<String, String> parse(String spec) {
    Map<String, String> m = new HashMap<>();
    for (String part : spec.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return m;
  }

  private static dev.grpcspring.MethodDescriptor<StringValue, StringValue> ours(
      String method, dev.grpcspring.MethodType type) {
    return dev.grpcspring.MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(SERVICE + "/" + method)
        .setRequestMarshaller(dev.grpcspring.codec.ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .setResponseMarshaller(dev.grpcspring.codec.ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .build();
  }
}
