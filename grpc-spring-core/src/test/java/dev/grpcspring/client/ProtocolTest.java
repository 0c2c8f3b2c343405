package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.StatusException;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.stub.StreamObserver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The wire contract from the client's side (PROTOCOL.md 1.2 and 1.5-1.9) against a scripted server. */
class ProtocolTest {
  static Http2Headers ok() {
    return new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
  }

  static Http2Headers trailers(int code, String message) {
    Http2Headers t = new DefaultHttp2Headers().set("grpc-status", Integer.toString(code));
    if (message != null) {
      t.set("grpc-message", message);
    }
    return t;
  }

  static ByteBuf frame(String value) {
    byte[] payload = StringValue.of(value).toByteArray();
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }

  static Code callAndGetCode(ScriptedHttp2Server server, CallOptions opts) {
    try (ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().disableRetry().build())) {
      cc.invoke(JavaPeer.UNARY, sv("x"), opts);
      return Code.OK;
    } catch (StatusException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void requestHeadersPseudoFirstThenInTheSpecsOrder() throws Exception {
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      r.headers(id, ok(), false);
      r.data(id, frame("y"), false);
      r.headers(id, trailers(0, null), true);
    })) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("x-custom", Metadata.ASCII_STRING_MARSHALLER), "1");
      try (ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
        dev.grpcspring.ClientCall<StringValue, StringValue> call = cc.newCall(JavaPeer.UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS).withCompression("gzip"));
        java.util.concurrent.CompletableFuture<StringValue> f = new java.util.concurrent.CompletableFuture<>();
        call.start(new dev.grpcspring.ClientCall.Listener<>() {
          @Override
          public void onMessage(StringValue message) {
            f.complete(message);
          }

          @Override
          public void onClose(dev.grpcspring.Status status, Metadata trailers) {
            f.completeExceptionally(status.asException());
          }
        }, md);
        call.request(1);
        call.sendMessage(sv("x"));
        call.halfClose();
        assertThat(f.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("y");
      }
      List<String> names = server.requestHeaderNames.poll(5, TimeUnit.SECONDS);
      // Pseudo-headers first (RFC 9113 §8.3 sets no order among them; Netty's read-only block
      // sends :method, :path, :scheme, :authority), then the rest in the spec's order.
      assertThat(names.subList(0, 4)).containsExactlyInAnyOrder(
          ":method", ":scheme", ":path", ":authority");
      assertThat(names.subList(4, names.size())).containsExactly("te", "grpc-timeout",
          "content-type", "grpc-encoding", "grpc-accept-encoding", "user-agent", "x-custom");
    }
  }

  @Test
  void trailersOnlyCarriesTheStatus() throws Exception {
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) ->
        r.headers(id, ok().set("grpc-status", "5").set("grpc-message", "gone%20away"), true))) {
      try (ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
        assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT))
            .isInstanceOfSatisfying(StatusException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("gone away");
            });
      }
    }
  }

  @Test
  void httpStatusMapsWhenGrpcStatusIsAbsent() throws Exception {
    Map<Integer, Code> table = Map.of(400, Code.INTERNAL, 401, Code.UNAUTHENTICATED,
        403, Code.PERMISSION_DENIED, 404, Code.UNIMPLEMENTED, 429, Code.UNAVAILABLE,
        502, Code.UNAVAILABLE, 503, Code.UNAVAILABLE, 504, Code.UNAVAILABLE, 418, Code.UNKNOWN);
    for (Map.Entry<Integer, Code> e : table.entrySet()) {
      try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> r.headers(id,
          new DefaultHttp2Headers().status(Integer.toString(e.getKey())).set("content-type", "text/html"),
          true))) {
        assertThat(callAndGetCode(server, CallOptions.DEFAULT)).as("HTTP %s", e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void rstStreamMapsToStatus() throws Exception {
    Map<Http2Error, Code> table = Map.of(Http2Error.NO_ERROR, Code.INTERNAL,
        Http2Error.PROTOCOL_ERROR, Code.INTERNAL, Http2Error.CANCEL, Code.CANCELLED,
        Http2Error.ENHANCE_YOUR_CALM, Code.RESOURCE_EXHAUSTED,
        Http2Error.INADEQUATE_SECURITY, Code.PERMISSION_DENIED, Http2Error.REFUSED_STREAM, Code.UNAVAILABLE);
    for (Map.Entry<Http2Error, Code> e : table.entrySet()) {
      try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> r.rst(id, e.getKey().code()))) {
        assertThat(callAndGetCode(server, CallOptions.DEFAULT)).as("RST %s", e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void responseInAnUnknownEncodingIsInternal() throws Exception {
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      r.headers(id, ok().set("grpc-encoding", "snappy"), false);
      r.data(id, frame("y"), false);
      r.headers(id, trailers(0, null), true);
    })) {
      assertThat(callAndGetCode(server, CallOptions.DEFAULT)).isEqualTo(Code.INTERNAL);
    }
  }

  @Test
  void refusedStreamIsRetriedTransparentlyOnce() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      if (n.incrementAndGet() == 1) {
        r.rst(id, Http2Error.REFUSED_STREAM.code());
        return;
      }
      r.headers(id, ok(), false);
      r.data(id, frame("second"), false);
      r.headers(id, trailers(0, null), true);
    }); ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
      assertThat(cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT).getValue()).isEqualTo("second");
      assertThat(n.get()).isEqualTo(2);
    }
  }

  @Test
  void streamAboveGoAwaysLastStreamIdIsRetriedOnANewConnection() throws Exception {
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      if (r.connectionIndex == 1) {
        r.goAway(id - 2, Http2Error.NO_ERROR.code()); // this stream was never processed
        r.ctx.close();
        return;
      }
      r.headers(id, ok(), false);
      r.data(id, frame("conn-" + r.connectionIndex), false);
      r.headers(id, trailers(0, null), true);
    }); ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
      assertThat(cc.invoke(JavaPeer.UNARY, sv("x"),
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)).getValue()).isEqualTo("conn-2");
    }
  }

  @Test
  void missingGrpcStatusInTrailersIsUnknown() throws Exception {
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      r.headers(id, ok(), false);
      r.headers(id, new DefaultHttp2Headers().set("x-other", "1"), true);
    })) {
      assertThat(callAndGetCode(server, CallOptions.DEFAULT)).isEqualTo(Code.UNKNOWN);
    }
  }

  @Test
  void deadlineExpiryResetsTheStreamWithCancel() throws Exception {
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> r.headers(id, ok(), false))) {
      long start = System.nanoTime();
      assertThat(callAndGetCode(server, CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS)))
          .isEqualTo(Code.DEADLINE_EXCEEDED);
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
      assertThat(server.resetsReceived.poll(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.CANCEL.code());
    }
  }

  @Test
  void decompressionIsBoundedByTheReceiveLimit() throws Exception {
    byte[] zeros = StringValue.of("0".repeat(100_000)).toByteArray();
    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bos)) {
      gz.write(zeros);
    }
    byte[] compressed = bos.toByteArray();
    assertThat(compressed.length).isLessThan(1000);
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      r.headers(id, ok().set("grpc-encoding", "gzip"), false);
      r.data(id, Unpooled.buffer().writeByte(1).writeInt(compressed.length).writeBytes(compressed), false);
      r.headers(id, trailers(0, null), true);
    })) {
      assertThat(callAndGetCode(server, CallOptions.DEFAULT.withMaxInboundMessageSize(10_000)))
          .isEqualTo(Code.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void streamsBeyondMaxConcurrentStreamsWaitTheirTurn() throws Exception {
    io.netty.handler.codec.http2.Http2Settings settings = new io.netty.handler.codec.http2.Http2Settings();
    settings.maxConcurrentStreams(1);
    AtomicInteger maxOpen = new AtomicInteger();
    try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
      maxOpen.accumulateAndGet(r.openStreams(), Math::max);
      r.headers(id, ok(), false);
      r.data(id, frame("s" + id), false);
      r.headers(id, trailers(0, null), true);
    }, settings); ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
      cc.invoke(JavaPeer.UNARY, sv("warm"), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
      List<java.util.concurrent.CompletableFuture<StringValue>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        fs.add(dev.grpcspring.stub.ClientCalls.futureUnaryCall(
            cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("x")));
      }
      for (java.util.concurrent.CompletableFuture<StringValue> f : fs) {
        assertThat(f.get(20, TimeUnit.SECONDS).getValue()).startsWith("s");
      }
      assertThat(maxOpen.get()).isEqualTo(1);
      // Trailers came before our END_STREAM, so only RST_STREAM(NO_ERROR) may follow (PROTOCOL.md 1.5).
      assertThat(server.resetsReceived).allMatch(code -> code == Http2Error.NO_ERROR.code());
    }
  }

  /**
   * The server answers on HEADERS, so its trailers often beat our END_STREAM and the stream is
   * closed by our RST_STREAM(NO_ERROR); the queued call must then start without waiting for other
   * traffic. Repeated because which side wins is a race (it once hung here under load).
   */
  @Test
  void queuedCallsStartWhenOurResetFreesTheOnlyStreamSlot() throws Exception {
    for (int round = 0; round < 150; round++) {
      io.netty.handler.codec.http2.Http2Settings settings = new io.netty.handler.codec.http2.Http2Settings();
      settings.maxConcurrentStreams(1);
      try (ScriptedHttp2Server server = new ScriptedHttp2Server((r, id, h) -> {
        r.headers(id, ok(), false);
        r.data(id, frame("s" + id), false);
        r.headers(id, trailers(0, null), true);
      }, settings); ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
        cc.invoke(JavaPeer.UNARY, sv("warm"), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
        List<java.util.concurrent.CompletableFuture<StringValue>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
          fs.add(dev.grpcspring.stub.ClientCalls.futureUnaryCall(
              cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("x")));
        }
        for (java.util.concurrent.CompletableFuture<StringValue> f : fs) {
          assertThat(f.get(5, TimeUnit.SECONDS).getValue()).as("round %d", round).startsWith("s");
        }
      }
    }
  }

  /** A server that answers every call with "y" and OK once its request has ended. */
  private static ScriptedHttp2Server answersYOnceTheRequestEnds() throws Exception {
    return new ScriptedHttp2Server((r, id, h) -> {
      r.headers(id, ok(), false);
      r.data(id, frame("y"), false);
      r.headers(id, trailers(0, null), true);
    }, new io.netty.handler.codec.http2.Http2Settings(), true);
  }

  @Test
  void aCallThatEndsNormallyIsNotReset() throws Exception {
    try (ScriptedHttp2Server server = answersYOnceTheRequestEnds();
        ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
      for (int i = 0; i < 5; i++) {
        assertThat(cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT).getValue()).isEqualTo("y");
      }
      Thread.sleep(100);
      assertThat(server.rawResets).isEmpty();
    }
  }

  @Test
  void aRequestOfOneMessageIsOneDataFrameThatEndsTheStream() throws Exception {
    int framed = 5 + StringValue.of("x").getSerializedSize();
    try (ScriptedHttp2Server server = answersYOnceTheRequestEnds();
        ClientConn cc = ClientConn.dial(server.target(), ClientConnTest.fast().build())) {
      assertThat(cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT).getValue()).isEqualTo("y");
      assertThat(server.dataFrames.poll(5, TimeUnit.SECONDS)).isEqualTo(framed + " END_STREAM");

      // A server-streaming call sends one message too.
      Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(
          cc, JavaPeer.SERVER_STREAM, CallOptions.DEFAULT, sv("x"));
      assertThat(it.next().getValue()).isEqualTo("y");
      assertThat(it.hasNext()).isFalse();
      assertThat(server.dataFrames.poll(5, TimeUnit.SECONDS)).isEqualTo(framed + " END_STREAM");

      // A client-streaming call cannot know its last message: END_STREAM follows both of them
      // (Netty may merge queued writes of one stream into one frame, so count bytes, not frames).
      StreamObserver<StringValue> requests = ClientCalls.asyncClientStreamingCall(
          cc.newCall(JavaPeer.CLIENT_STREAM, CallOptions.DEFAULT), new StreamObserver<>() {
            @Override
            public void onNext(StringValue v) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      requests.onNext(sv("x"));
      requests.onNext(sv("x"));
      requests.onCompleted();
      int bytes = 0;
      String frame;
      do {
        frame = server.dataFrames.poll(5, TimeUnit.SECONDS);
        assertThat(frame).as("a DATA frame with END_STREAM").isNotNull();
        bytes += Integer.parseInt(frame.split(" ")[0]);
      } while (!frame.endsWith("END_STREAM"));
      assertThat(bytes).isEqualTo(2 * framed);
      Thread.sleep(100);
      assertThat(server.dataFrames).isEmpty();
    }
  }
}
