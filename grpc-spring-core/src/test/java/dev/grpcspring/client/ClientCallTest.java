package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls of every kind from our channel to grpc-java's server. */
class ClientCallTest {
  static JavaPeer peer;
  static ClientConn cc;

  @BeforeAll
  static void setUp() throws Exception {
    peer = JavaPeer.start("java");
    cc = ClientConn.dial(peer.target(), DialOptions.newBuilder().insecure().build());
  }

  @AfterAll
  static void tearDown() throws Exception {
    cc.close();
    peer.close();
  }

  @Test
  void unary() {
    StringValue resp = cc.invoke(JavaPeer.UNARY, sv("hello"), CallOptions.DEFAULT);
    assertThat(resp.getValue()).isEqualTo("hello");
    io.grpc.Metadata seen = lastHeaders();
    assertThat(seen.get(key("content-type"))).isEqualTo("application/grpc");
    assertThat(seen.get(key("user-agent"))).startsWith("grpc-spring/");
  }

  @Test
  void serverStreaming() {
    Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(
        cc, JavaPeer.SERVER_STREAM, CallOptions.DEFAULT, sv("5"));
    List<String> got = new ArrayList<>();
    it.forEachRemaining(v -> got.add(v.getValue()));
    assertThat(got).containsExactly("item-0", "item-1", "item-2", "item-3", "item-4");
  }

  @Test
  void clientStreaming() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
        cc.newCall(JavaPeer.CLIENT_STREAM, CallOptions.DEFAULT), observer(result));
    for (int i = 0; i < 10; i++) {
      req.onNext(sv(Integer.toString(i)));
    }
    req.onCompleted();
    assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("0123456789");
  }

  @Test
  void bidiThroughNewStream() throws Exception {
    ClientStream<StringValue, StringValue> s = cc.newStream(JavaPeer.BIDI, CallOptions.DEFAULT);
    for (int i = 0; i < 3; i++) {
      s.sendMsg(sv("m" + i));
      assertThat(s.recvMsg().getValue()).isEqualTo("echo:m" + i);
    }
    s.closeSend();
    assertThat(s.recvMsg()).isNull();
    assertThat(s.trailer()).isNotNull();
  }

  @Test
  void metadataBothWaysWithBinaryValues() {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("x-echo", Metadata.ASCII_STRING_MARSHALLER), "yes");
    md.put(Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {0, 1, (byte) 0xfe});
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    CallOptions opts = ClientCallOptions.withTrailerCapture(
        ClientCallOptions.withHeaderCapture(CallOptions.DEFAULT, headers), trailers);
    ClientCall<StringValue, StringValue> call = cc.newCall(JavaPeer.UNARY, opts);
    CompletableFuture<StringValue> f = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(StringValue message) {
        f.complete(message);
      }

      @Override
      public void onClose(Status status, Metadata t) {
        if (!status.isOk()) {
          f.completeExceptionally(status.asException());
        }
      }
    }, md);
    call.request(1);
    call.sendMessage(sv("x"));
    call.halfClose();
    assertThat(f.join().getValue()).isEqualTo("x");
    awaitNotNull(trailers);
    assertThat(headers.get().get(Metadata.Key.of("x-echo", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("yes");
    assertThat(headers.get().get(Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER)))
        .containsExactly(0, 1, 0xfe);
    assertThat(trailers.get().get(Metadata.Key.of("x-trailer", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("bye");
    assertThat(trailers.get().get(Metadata.Key.of("x-trailer-bin", Metadata.BINARY_BYTE_MARSHALLER)))
        .containsExactly(1, 2, 3, 0xff);
  }

  @Test
  void compressedRequestsAndResponses() {
    StringValue resp = cc.invoke(JavaPeer.UNARY, sv("z".repeat(10_000)),
        CallOptions.DEFAULT.withCompression("gzip"));
    assertThat(resp.getValue()).hasSize(10_000);
    io.grpc.Metadata seen = lastHeaders();
    assertThat(seen.get(key("grpc-encoding"))).isEqualTo("gzip");
    assertThat(seen.get(key("grpc-accept-encoding"))).contains("gzip");
  }

  @Test
  void deadlineIsSentAndEnforced() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("sleep:2000"),
            CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
    String timeout = lastHeaders().get(key("grpc-timeout"));
    assertThat(timeout).matches("\\d{1,8}[HMSmun]");
    long nanos = dev.grpcspring.protocol.GrpcTimeout.decode(timeout);
    assertThat(nanos).isBetween(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  void cancelResetsTheStream() throws Exception {
    ClientCall<StringValue, StringValue> call = cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(sv("hang"));
    call.halfClose();
    assertThat(peer.hanging.poll(5, TimeUnit.SECONDS)).isEqualTo("hang"); // the handler runs
    call.cancel("no longer needed", null);
    assertThat(closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Code.CANCELLED);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (peer.cancelled.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(peer.cancelled).contains("hang");
  }

  @Test
  void errorStatusWithDetails() {
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("fail:5:not here % ünïcode"),
            ClientCallOptions.withTrailerCapture(CallOptions.DEFAULT, trailers)))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("not here % ünïcode");
          // The details travel in the trailers carried by the exception.
          com.google.rpc.Status details = dev.grpcspring.StatusProto.fromThrowable(e);
          assertThat(details.getCode()).isEqualTo(5);
          assertThat(details.getMessage()).isEqualTo("not here % ünïcode");
        });
    byte[] details = trailers.get().get(
        Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER));
    assertThat(details).isNotNull();
  }

  @Test
  void receiveLimit() {
    assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("big:5000"),
            CallOptions.DEFAULT.withMaxInboundMessageSize(1000)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    // The connection is still fine for the next call.
    assertThat(cc.invoke(JavaPeer.UNARY, sv("ok"), CallOptions.DEFAULT).getValue()).isEqualTo("ok");
  }

  @Test
  void largeMessagesBothWaysThroughFlowControlWindows() throws Exception {
    // 3 MB each way: more than the 1 MiB stream and connection windows, so both sides must send
    // WINDOW_UPDATEs as messages are consumed.
    StringValue resp = cc.invoke(JavaPeer.UNARY, sv("big:3000000"), CallOptions.DEFAULT);
    assertThat(resp.getValue()).hasSize(3_000_000);
    CompletableFuture<String> result = new CompletableFuture<>();
    StreamObserver<StringValue> req = ClientCalls.asyncClientStreamingCall(
        cc.newCall(JavaPeer.CLIENT_STREAM, CallOptions.DEFAULT), observer(result));
    String chunk = "q".repeat(1_000_000);
    for (int i = 0; i < 3; i++) {
      req.onNext(sv(chunk));
    }
    req.onCompleted();
    assertThat(result.get(10, TimeUnit.SECONDS)).hasSize(3_000_000);
  }

  @Test
  void unimplementedMethod() {
    assertThatThrownBy(() -> cc.invoke(JavaPeer.ours("Nope", dev.grpcspring.MethodType.UNARY),
            sv("x"), CallOptions.DEFAULT))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED));
  }

  @Test
  void manyConcurrentCalls() throws Exception {
    List<CompletableFuture<StringValue>> fs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fs.add(ClientCalls.futureUnaryCall(cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("c" + i)));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(fs.get(i).get(10, TimeUnit.SECONDS).getValue()).isEqualTo("c" + i);
    }
  }

  static io.grpc.Metadata.Key<String> key(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
  }

  static io.grpc.Metadata lastHeaders() {
    io.grpc.Metadata last = null;
    try {
      last = peer.seenHeaders.poll(5, TimeUnit.SECONDS);
      io.grpc.Metadata more;
      while ((more = peer.seenHeaders.poll()) != null) {
        last = more;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(last).isNotNull();
    return last;
  }

  static <T> void awaitNotNull(AtomicReference<T> ref) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ref.get() == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  static StreamObserver<StringValue> observer(CompletableFuture<String> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {
        result.complete(value.getValue());
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

}
