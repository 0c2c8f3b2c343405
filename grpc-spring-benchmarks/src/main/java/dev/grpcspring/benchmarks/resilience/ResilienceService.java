package dev.grpcspring.benchmarks.resilience;

import com.google.protobuf.StringValue;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.codec.ProtoMarshaller;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ServerCalls;
import dev.grpcspring.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service {@code soak} and {@code chaos} call: a unary echo that records how often it saw
 * each request (so a call executed twice shows), and a bidi echo.
 */
final class ResilienceService {
  static final String SERVICE = "resilience.Echo";
  static final MethodDescriptor<StringValue, StringValue> UNARY = method("Unary", MethodType.UNARY);
  static final MethodDescriptor<StringValue, StringValue> BIDI =
      method("Bidi", MethodType.BIDI_STREAMING);

  /** How many times the server executed each unary request, by its text. */
  final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private final boolean record;

  /** @param record whether unary requests are counted (chaos; soak would only grow the map) */
  ResilienceService(boolean record) {
    this.record = record;
  }

  private static MethodDescriptor<StringValue, StringValue> method(String name, MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(SERVICE + "/" + name)
        .setRequestMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .build();
  }

  ServerServiceDefinition definition() {
    ServiceDescriptor desc = ServiceDescriptor.newBuilder(SERVICE).addMethod(UNARY)
        .addMethod(BIDI).build();
    return ServerServiceDefinition.builder(desc)
        .addMethod(UNARY, ServerCalls.asyncUnaryCall(
            (StringValue req, StreamObserver<StringValue> out) -> {
              if (record) {
                executions.computeIfAbsent(req.getValue(), k -> new AtomicInteger())
                    .incrementAndGet();
              }
              out.onNext(req);
              out.onCompleted();
            }))
        .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(
            (StreamObserver<StringValue> out) -> new StreamObserver<StringValue>() {
              @Override
              public void onNext(StringValue v) {
                out.onNext(v);
              }

              @Override
              public void onError(Throwable t) {
                // The client cancelled or the connection went: nothing left to answer.
              }

              @Override
              public void onCompleted() {
                out.onCompleted();
              }
            }))
        .build();
  }
}
