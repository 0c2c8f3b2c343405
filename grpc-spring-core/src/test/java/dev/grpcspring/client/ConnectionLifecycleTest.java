package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Context;
import dev.grpcspring.Deadline;
import dev.grpcspring.MethodType;
import dev.grpcspring.protocol.GrpcTimeout;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.stub.ClientCalls;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connections coming and going under traffic: GOAWAY, resolver updates, deadline propagation. */
class ConnectionLifecycleTest {
  @Test
  void gracefulServerStopLetsInFlightCallsFinishAndNewCallsReconnect() throws Exception {
    JavaPeer first = JavaPeer.start("first");
    int port = first.port();
    try (ClientConn cc = ClientConn.dial(first.target(), ClientConnTest.fast().build())) {
      assertThat(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue()).isEqualTo("first");
      List<CompletableFuture<StringValue>> inFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        inFlight.add(ClientCalls.futureUnaryCall(
            cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("sleep:700")));
      }
      Thread.sleep(200);
      first.server.shutdown(); // GOAWAY; accepted streams go on
      JavaPeer second = JavaPeer.start("second", port, null);
      try {
        for (CompletableFuture<StringValue> f : inFlight) {
          assertThat(f.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("first");
        }
        StringValue v = cc.invoke(JavaPeer.UNARY, sv(""),
            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(5, TimeUnit.SECONDS));
        assertThat(v.getValue()).isEqualTo("second");
      } finally {
        second.close();
      }
    } finally {
      first.close();
    }
  }

  @Test
  void resolverUpdateSwapsAddressesUnderTrafficWithoutFailingACall() throws Exception {
    try (JavaPeer a = JavaPeer.start("a"); JavaPeer b = JavaPeer.start("b")) {
      ManualResolver r = new ManualResolver(a.port());
      try (ClientConn cc = ClientConn.dial(r.target(), ClientConnTest.fast().resolver(r).build())) {
        assertThat(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue()).isEqualTo("a");
        List<CompletableFuture<StringValue>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          if (i == 100) {
            r.update(ResolverState.of(ManualResolver.addresses(b.port())));
          }
          calls.add(ClientCalls.futureUnaryCall(cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("")));
          if (i % 10 == 0) {
            Thread.sleep(5);
          }
        }
        List<String> servedBy = new ArrayList<>();
        for (CompletableFuture<StringValue> f : calls) {
          servedBy.add(f.get(10, TimeUnit.SECONDS).getValue());
        }
        assertThat(servedBy.subList(0, 50)).containsOnly("a");
        assertThat(servedBy.get(servedBy.size() - 1)).isEqualTo("b");
        assertThat(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue()).isEqualTo("b");
      }
    }
  }

  @Test
  void deadlineAndCancellationPropagateThroughAServerThatCallsAnother() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (JavaPeer back = JavaPeer.start("back")) {
      ClientConn toBack = ClientConn.dial(back.target(), ClientConnTest.fast().build());
      CompletableFuture<Void> backCallEnded = new CompletableFuture<>();
      try (JavaPeer front = JavaPeer.start("front", 0, p -> ServerServiceDefinition.builder("test.Front")
          .addMethod(JavaPeer.theirs("Relay", io.grpc.MethodDescriptor.MethodType.UNARY)
              .toBuilder().setFullMethodName("test.Front/Relay").build(),
              ServerCalls.asyncUnaryCall((StringValue req, io.grpc.stub.StreamObserver<StringValue> obs) -> {
                // Bridge grpc-java's context into ours, as our server runtime does for its handlers.
                io.grpc.Context g = io.grpc.Context.current();
                Context.CancellableContext ctx = Context.ROOT.withDeadline(
                    Deadline.after(g.getDeadline().timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS),
                    timer);
                g.addListener(c -> ctx.cancel(c.cancellationCause()), Runnable::run);
                ctx.run(() -> ClientCalls.futureUnaryCall(
                        toBack.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), req)
                    .whenComplete((v, err) -> {
                      backCallEnded.complete(null);
                      if (err != null) {
                        obs.onError(err);
                      } else {
                        obs.onNext(v);
                        obs.onCompleted();
                      }
                    }));
              }))
          .build());
          ClientConn toFront = ClientConn.dial(front.target(), ClientConnTest.fast().build())) {
        var relay = JavaPeer.ours("Relay", MethodType.UNARY).toString();
        dev.grpcspring.MethodDescriptor<StringValue, StringValue> relayMethod =
            dev.grpcspring.MethodDescriptor.<StringValue, StringValue>newBuilder()
                .setType(MethodType.UNARY).setFullMethodName("test.Front/Relay")
                .setRequestMarshaller(JavaPeer.UNARY.getRequestMarshaller())
                .setResponseMarshaller(JavaPeer.UNARY.getResponseMarshaller()).build();
        assertThat(relay).isNotEmpty();
        // The remaining deadline reaches the second server.
        back.seenHeaders.clear();
        assertThat(toFront.invoke(relayMethod, sv("hop"),
            CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS)).getValue()).isEqualTo("hop");
        io.grpc.Metadata seen = back.seenHeaders.poll(5, TimeUnit.SECONDS);
        long nanos = GrpcTimeout.decode(seen.get(ClientCallTest.key("grpc-timeout")));
        assertThat(nanos).isBetween(TimeUnit.MILLISECONDS.toNanos(2000), TimeUnit.MILLISECONDS.toNanos(3000));

        // Cancelling the first call cancels the second.
        dev.grpcspring.ClientCall<StringValue, StringValue> call =
            toFront.newCall(relayMethod, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
        CompletableFuture<StringValue> f = ClientCalls.futureUnaryCall(call, sv("hang"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        assertThat(back.hanging.poll(5, TimeUnit.SECONDS)).isEqualTo("hang"); // the handler runs
        call.cancel("user gave up", null);
        assertThat(f).failsWithin(Duration.ofSeconds(5));
        backCallEnded.get(5, TimeUnit.SECONDS);
        while (back.cancelled.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(back.cancelled).contains("hang");
      } finally {
        toBack.close();
      }
    } finally {
      timer.shutdownNow();
    }
  }
}
