package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.ServerCalls;
import dev.grpcspring.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our channel against our own server: every call kind, and deadline propagation through Context. */
class OwnServerTest {
  static final MethodDescriptor<StringValue, StringValue> RELAY = JavaPeer.ours("Relay", MethodType.UNARY);

  /** One of our servers with the echo methods (same names as {@link JavaPeer}'s) and a relay. */
  static final class OwnPeer implements AutoCloseable {
    final BlockingQueue<Metadata> headers = new LinkedBlockingQueue<>();
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** The remaining deadline (ms) each unary call saw in its Context; -1 for none. */
    final BlockingQueue<Long> deadlines = new LinkedBlockingQueue<>();
    final Server server;

    OwnPeer(ClientConn relayTo) throws Exception {
      ServiceDescriptor desc = ServiceDescriptor.newBuilder(JavaPeer.SERVICE)
          .addMethod(JavaPeer.UNARY).addMethod(JavaPeer.SERVER_STREAM).addMethod(JavaPeer.CLIENT_STREAM)
          .addMethod(JavaPeer.BIDI).addMethod(RELAY).build();
      ServerServiceDefinition def = ServerServiceDefinition.builder(desc)
          .addMethod(JavaPeer.UNARY, ServerCalls.asyncUnaryCall(this::unary))
          .addMethod(JavaPeer.SERVER_STREAM, ServerCalls.asyncServerStreamingCall(
              (StringValue req, StreamObserver<StringValue> out) -> {
                for (int i = 0; i < Integer.parseInt(req.getValue()); i++) {
                  out.onNext(sv("item-" + i));
                }
                out.onCompleted();
              }))
          .addMethod(JavaPeer.CLIENT_STREAM, ServerCalls.asyncClientStreamingCall(
              (StreamObserver<StringValue> out) -> new StreamObserver<StringValue>() {
                final StringBuilder sb = new StringBuilder();

                @Override
                public void onNext(StringValue v) {
                  sb.append(v.getValue());
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                  out.onNext(sv(sb.toString()));
                  out.onCompleted();
                }
              }))
          .addMethod(JavaPeer.BIDI, ServerCalls.asyncBidiStreamingCall(
              (StreamObserver<StringValue> out) -> new StreamObserver<StringValue>() {
                @Override
                public void onNext(StringValue v) {
                  out.onNext(sv("echo:" + v.getValue()));
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                  out.onCompleted();
                }
              }))
          .addMethod(RELAY, ServerCalls.asyncUnaryCall((StringValue req, StreamObserver<StringValue> out) -> {
            // Runs with the server's Context: the call below inherits its deadline and cancellation.
            ClientCalls.futureUnaryCall(relayTo.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), req)
                .whenComplete((v, err) -> {
                  events.add("relay-ended:" + (err == null ? "OK" : Status.fromThrowable(err).getCode()));
                  if (err != null) {
                    out.onError(err);
                  } else {
                    out.onNext(v);
                    out.onCompleted();
                  }
                });
          }))
          .build();
      ServerInterceptor capture = new ServerInterceptor() {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata md, ServerCallHandler<ReqT, RespT> next) {
          headers.add(md);
          return next.startCall(call, md);
        }
      };
      server = Server.builder().port(0).registerService(def).intercept(capture).build().start();
    }

    private void unary(StringValue req, StreamObserver<StringValue> out) {
      String r = req.getValue();
      dev.grpcspring.Deadline d = Context.current().getDeadline();
      deadlines.add(d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
      if (r.equals("hang")) {
        CountDownLatch done = new CountDownLatch(1);
        Context.current().addListener(c -> {
          events.add("cancelled");
          done.countDown();
        }, Runnable::run);
        return;
      }
      if (r.startsWith("fail:")) {
        out.onError(Status.fromCodeValue(Integer.parseInt(r.substring(5))).withDescription("as asked")
            .asException());
        return;
      }
      out.onNext(sv(r));
      out.onCompleted();
    }

    String target() {
      return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws Exception {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyCallKindAgainstOurServer() throws Exception {
    try (OwnPeer peer = new OwnPeer(null);
        ClientConn cc = ClientConn.dial(peer.target(), ClientConnTest.fast().build())) {
      assertThat(cc.invoke(JavaPeer.UNARY, sv("hi"), CallOptions.DEFAULT.withCompression("gzip")).getValue())
          .isEqualTo("hi");
      Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(
          cc, JavaPeer.SERVER_STREAM, CallOptions.DEFAULT, sv("3"));
      List<String> items = new ArrayList<>();
      it.forEachRemaining(v -> items.add(v.getValue()));
      assertThat(items).containsExactly("item-0", "item-1", "item-2");

      CompletableFuture<String> joined = new CompletableFuture<>();
      StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
          cc.newCall(JavaPeer.CLIENT_STREAM, CallOptions.DEFAULT), ClientCallTest.observer(joined));
      req.onNext(sv("a"));
      req.onNext(sv("b"));
      req.onCompleted();
      assertThat(joined.get(5, TimeUnit.SECONDS)).isEqualTo("ab");

      ClientStream<StringValue, StringValue> s = cc.newStream(JavaPeer.BIDI, CallOptions.DEFAULT);
      s.sendMsg(sv("x"));
      assertThat(s.recvMsg().getValue()).isEqualTo("echo:x");
      s.closeSend();
      assertThat(s.recvMsg()).isNull();

      assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("fail:7"), CallOptions.DEFAULT))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).isEqualTo("as asked");
          });
    }
  }

  @Test
  void deadlineAndCancellationPropagateThroughOurServer() throws Exception {
    try (OwnPeer back = new OwnPeer(null);
        ClientConn toBack = ClientConn.dial(back.target(), ClientConnTest.fast().build());
        OwnPeer front = new OwnPeer(toBack);
        ClientConn toFront = ClientConn.dial(front.target(), ClientConnTest.fast().build())) {
      assertThat(toFront.invoke(RELAY, sv("hop"), CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS))
          .getValue()).isEqualTo("hop");
      // Our server turns the second hop's grpc-timeout into its handler's Context deadline.
      assertThat(back.headers.poll(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(back.deadlines.poll(5, TimeUnit.SECONDS)).isBetween(1000L, 3000L);
      assertThat(front.events.poll(5, TimeUnit.SECONDS)).isEqualTo("relay-ended:OK");

      // Cancelling the first call cancels the second.
      ClientCall<StringValue, StringValue> call = toFront.newCall(RELAY, CallOptions.DEFAULT);
      CompletableFuture<StringValue> f = ClientCalls.futureUnaryCall(call, sv("hang"));
      // Wait until the second server's handler runs (a call cancelled earlier never reaches it).
      assertThat(back.deadlines.poll(5, TimeUnit.SECONDS)).isNotNull();
      call.cancel("user gave up", null);
      assertThat(f).failsWithin(Duration.ofSeconds(5));
      assertThat(back.events.poll(5, TimeUnit.SECONDS)).isEqualTo("cancelled");
      assertThat(front.events.poll(5, TimeUnit.SECONDS)).isEqualTo("relay-ended:CANCELLED");

      // The remaining deadline, not a fresh one, limits the second call.
      long start = System.nanoTime();
      assertThatThrownBy(() -> toFront.invoke(RELAY, sv("hang"),
              CallOptions.DEFAULT.withDeadlineAfter(400, TimeUnit.MILLISECONDS)))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
      // Three clocks end it at about the same time: the relay's inherited deadline
      // (DEADLINE_EXCEEDED), or the first call's RST_STREAM cancelling the server's Context.
      assertThat(front.events.poll(5, TimeUnit.SECONDS))
          .isIn("relay-ended:DEADLINE_EXCEEDED", "relay-ended:CANCELLED");
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
    }
  }

}
