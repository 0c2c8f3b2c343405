package dev.grpcspring.server;

import static dev.grpcspring.server.EchoService.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.ConnectivityState;
import io.grpc.DecompressorRegistry;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our server, called by grpc-java's client (Netty, shaded) over loopback. */
@Timeout(60)
class ServerInteropTest {
  private static final MethodDescriptor.Marshaller<StringValue> M =
      ProtoUtils.marshaller(StringValue.getDefaultInstance());
  static final MethodDescriptor<StringValue, StringValue> UNARY =
      jmethod("Unary", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<StringValue, StringValue> SERVER_STREAMING =
      jmethod("ServerStreaming", MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> CLIENT_STREAMING =
      jmethod("ClientStreaming", MethodDescriptor.MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> BIDI =
      jmethod("Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);
  static final MethodDescriptor<StringValue, StringValue> BAD_UNARY =
      jmethod("BadUnary", MethodDescriptor.MethodType.UNARY);

  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of("x-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING_BIN =
      Metadata.Key.of("x-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);
  private static final Metadata.Key<String> GRPC_ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

  private final EchoService service = new EchoService();
  private Server server;
  private ManagedChannel channel;

  static MethodDescriptor<StringValue, StringValue> jmethod(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName(EchoService.NAME + "/" + name)
        .setRequestMarshaller(M)
        .setResponseMarshaller(M)
        .build();
  }

  private void start(ServerBuilder b) throws Exception {
    server = b.address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service.definition())
        .intercept(EchoService.METADATA_ECHO)
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext()
        .compressorRegistry(withDeflate(CompressorRegistry.getDefaultInstance()))
        .decompressorRegistry(DecompressorRegistry.getDefaultInstance().with(DEFLATE, true))
        .build();
  }

  private void start() throws Exception {
    start(Server.builder());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
      assertThat(server.isTerminated()).isTrue();
    }
  }

  @Test
  void allFourKinds() throws Exception {
    start();
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("hi")).getValue())
        .isEqualTo("echo:hi");
    Iterator<StringValue> it =
        ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAMING, CallOptions.DEFAULT, sv("3"));
    List<String> got = new ArrayList<>();
    it.forEachRemaining(v -> got.add(v.getValue()));
    assertThat(got).containsExactly("0", "1", "2");

    Collector cs = new Collector();
    StreamObserver<StringValue> req =
        ClientCalls.asyncClientStreamingCall(channel.newCall(CLIENT_STREAMING, CallOptions.DEFAULT), cs);
    req.onNext(sv("a"));
    req.onNext(sv("b"));
    req.onNext(sv("c"));
    req.onCompleted();
    assertThat(cs.await()).containsExactly("a,b,c");

    Collector bidi = new Collector();
    StreamObserver<StringValue> breq =
        ClientCalls.asyncBidiStreamingCall(channel.newCall(BIDI, CallOptions.DEFAULT), bidi);
    breq.onNext(sv("x"));
    breq.onNext(sv("y"));
    breq.onCompleted();
    assertThat(bidi.await()).containsExactly("bidi:x", "bidi:y");

    // Empty client stream: OK with zero requests.
    Collector empty = new Collector();
    ClientCalls.asyncClientStreamingCall(channel.newCall(CLIENT_STREAMING, CallOptions.DEFAULT), empty)
        .onCompleted();
    assertThat(empty.await()).containsExactly("");
  }

  @Test
  void manyConcurrentCallsOnOneConnection() throws Exception {
    start();
    List<com.google.common.util.concurrent.ListenableFuture<StringValue>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(io.grpc.stub.ClientCalls.futureUnaryCall(
          channel.newCall(UNARY, CallOptions.DEFAULT), sv("n" + i)));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(futures.get(i).get(10, TimeUnit.SECONDS).getValue()).isEqualTo("echo:n" + i);
    }
  }

  @Test
  void largeMessagesBothWays() throws Exception {
    start(Server.builder().maxInboundMessageSize(8 * 1024 * 1024));
    String big = "L".repeat(3 * 1024 * 1024);
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv(big)).getValue())
        .hasSize(big.length() + 5);
  }

  @Test
  void metadataEchoIncludingBinary() throws Exception {
    start();
    Metadata md = new Metadata();
    md.put(ECHO_INITIAL, "test_initial_metadata_value");
    md.put(ECHO_TRAILING_BIN, new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab});
    Capture capture = new Capture();
    Channel ch = ClientInterceptors.intercept(channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md), capture);
    assertThat(ClientCalls.blockingUnaryCall(ch, UNARY, CallOptions.DEFAULT, sv("m")).getValue())
        .isEqualTo("echo:m");
    assertThat(capture.headers.get(ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
    assertThat(capture.trailers.get(ECHO_TRAILING_BIN)).containsExactly(0xab, 0xab, 0xab);

    // And on a streaming call.
    Capture capture2 = new Capture();
    Channel ch2 = ClientInterceptors.intercept(channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md), capture2);
    Collector bidi = new Collector();
    StreamObserver<StringValue> breq =
        ClientCalls.asyncBidiStreamingCall(ch2.newCall(BIDI, CallOptions.DEFAULT), bidi);
    breq.onNext(sv("x"));
    breq.onCompleted();
    assertThat(bidi.await()).containsExactly("bidi:x");
    assertThat(capture2.headers.get(ECHO_INITIAL)).isEqualTo("test_initial_metadata_value");
    assertThat(capture2.trailers.get(ECHO_TRAILING_BIN)).containsExactly(0xab, 0xab, 0xab);
  }

  @Test
  void gzipAndDeflateBothWays() throws Exception {
    start();
    for (String enc : List.of("gzip", "deflate")) {
      Capture capture = new Capture();
      Channel ch = ClientInterceptors.intercept(channel, capture);
      String big = "compressible ".repeat(2000);
      assertThat(ClientCalls.blockingUnaryCall(ch, UNARY, CallOptions.DEFAULT.withCompression(enc),
          sv(big)).getValue()).isEqualTo("echo:" + big);
      Capture c2 = new Capture();
      StringValue resp = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel, c2),
          UNARY, CallOptions.DEFAULT.withCompression(enc), sv("compress:" + enc));
      assertThat(resp.getValue()).hasSize(10_000);
      assertThat(c2.headers.get(GRPC_ENCODING)).isEqualTo(enc);
    }
  }

  @Test
  void responseIsNotCompressedWithAnEncodingTheClientDoesNotAccept() throws Exception {
    start();
    ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext().build();
    try {
      Capture c = new Capture();
      StringValue resp = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(plain, c),
          UNARY, CallOptions.DEFAULT, sv("compress:deflate"));
      assertThat(resp.getValue()).hasSize(10_000);
      assertThat(c.headers.get(GRPC_ENCODING)).isNull();
    } finally {
      plain.shutdownNow();
    }
  }

  @Test
  void unknownEncodingIsUnimplementedNamingAcceptedOnes() throws Exception {
    server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(service.definition())
        .compressorRegistry(dev.grpcspring.codec.CompressorRegistry.newBuilder()
            .register(dev.grpcspring.codec.Compressor.GZIP).build())
        .build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
        .compressorRegistry(withDeflate(CompressorRegistry.getDefaultInstance())).build();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY,
            CallOptions.DEFAULT.withCompression("deflate"), sv("x")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription()).contains("deflate").contains("gzip");
    // The connection is fine for the next call.
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("ok")).getValue())
        .isEqualTo("echo:ok");
  }

  @Test
  void deadlineCancelsTheHandlerContext() throws Exception {
    start();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), sv("wait")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(service.events.poll(5, TimeUnit.SECONDS)).isEqualTo("deadline:true");
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      seen.add(service.events.poll(5, TimeUnit.SECONDS));
    }
    // Which one the client's own deadline (RST_STREAM) or ours wins is a race; both cancel.
    assertThat(seen).contains("onCancel").anyMatch(s -> s.startsWith("context-cancelled:"));
  }

  @Test
  void serverDeadlineFiresEvenIfTheClientWaits() throws Exception {
    start();
    // A client that sends grpc-timeout but does not enforce it: our server must end the call.
    ClientInterceptor noClientDeadline = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> m,
          CallOptions o, Channel next) {
        return next.newCall(m, o);
      }
    };
    Channel ch = ClientInterceptors.intercept(channel, noClientDeadline);
    long start = System.nanoTime();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(ch, UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS), sv("wait")));
    assertThat(e.getStatus().getCode()).isIn(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void clientCancelReachesTheHandler() throws Exception {
    start();
    Collector bidi = new Collector();
    ClientCall<StringValue, StringValue> call = channel.newCall(BIDI, CallOptions.DEFAULT);
    StreamObserver<StringValue> req = ClientCalls.asyncBidiStreamingCall(call, bidi);
    req.onNext(sv("one"));
    assertThat(bidi.values.poll(5, TimeUnit.SECONDS)).isEqualTo("bidi:one");
    call.cancel("test cancels", null);
    assertThat(service.events.poll(5, TimeUnit.SECONDS)).isEqualTo("bidi-error:CANCELLED");
  }

  @Test
  void statusAndSpecialMessageRoundTrip() throws Exception {
    start();
    String special = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    for (String msg : List.of("test status message", special, "100% done")) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT,
              sv("status:2:" + msg)));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
      assertThat(e.getStatus().getDescription()).isEqualTo(msg);
    }
  }

  @Test
  void richErrorDetails() throws Exception {
    start();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("details")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(StatusProto.fromThrowable(e)).isEqualTo(EchoService.RICH);
  }

  @Test
  void maxInboundMessageSizeIsResourceExhausted() throws Exception {
    start(Server.builder().maxInboundMessageSize(1024));
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("x".repeat(2000))));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("vs. 1024");
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("small")).getValue())
        .isEqualTo("echo:small");
  }

  @Test
  void handlerExceptionIsUnknownWithoutDetails() throws Exception {
    start();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("boom")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.getStatus().getDescription()).doesNotContain("secret").doesNotContain("at dev.");
  }

  @Test
  void unaryResponseCardinality() throws Exception {
    start();
    for (String req : List.of("none", "two")) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(channel, BAD_UNARY, CallOptions.DEFAULT, sv(req)));
      assertThat(e.getStatus().getCode()).as(req).isEqualTo(Status.Code.INTERNAL);
    }
  }

  @Test
  void unknownMethodAndService() throws Exception {
    start();
    MethodDescriptor<StringValue, StringValue> missing =
        jmethod("Missing", MethodDescriptor.MethodType.UNARY);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, missing, CallOptions.DEFAULT, sv("x")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription()).isEqualTo("Method not found: test.Echo/Missing");
    MethodDescriptor<StringValue, StringValue> otherService = missing.toBuilder()
        .setFullMethodName("test.Nope/Call").build();
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, otherService,
        CallOptions.DEFAULT, sv("x")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void gracefulShutdownLetsInFlightCallsFinish() throws Exception {
    start();
    Collector stream = new Collector();
    ClientCalls.asyncServerStreamingCall(channel.newCall(SERVER_STREAMING, CallOptions.DEFAULT),
        sv("hold"), stream);
    assertThat(stream.values.poll(5, TimeUnit.SECONDS)).isEqualTo("first");
    server.shutdown();
    waitForStateChange(ConnectivityState.READY);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), sv("late")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(server.isTerminated()).isFalse();
    service.release.countDown();
    assertThat(stream.await()).containsExactly("first", "second");
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void stopCancelsWhatIsLeftAfterTheGracePeriod() throws Exception {
    start();
    Collector stream = new Collector();
    ClientCalls.asyncServerStreamingCall(channel.newCall(SERVER_STREAMING, CallOptions.DEFAULT),
        sv("hold"), stream);
    assertThat(stream.values.poll(5, TimeUnit.SECONDS)).isEqualTo("first");
    long start = System.nanoTime();
    assertThat(server.stop(Duration.ofMillis(300))).isTrue();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    assertThat(service.events.poll(5, TimeUnit.SECONDS)).isEqualTo("onCancel");
    assertThat(stream.error.poll(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void globalInterceptorsRunInOrderAddMetadataAndEndCalls() throws Exception {
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    dev.grpcspring.Metadata.Key<String> added =
        dev.grpcspring.Metadata.Key.of("x-added", dev.grpcspring.Metadata.ASCII_STRING_MARSHALLER);
    dev.grpcspring.Metadata.Key<String> deny =
        dev.grpcspring.Metadata.Key.of("x-deny", dev.grpcspring.Metadata.ASCII_STRING_MARSHALLER);
    dev.grpcspring.interceptor.ServerInterceptor first = new dev.grpcspring.interceptor.ServerInterceptor() {
      @Override
      public <ReqT, RespT> dev.grpcspring.ServerCall.Listener<ReqT> interceptCall(
          dev.grpcspring.ServerCall<ReqT, RespT> call, dev.grpcspring.Metadata headers,
          dev.grpcspring.ServerCallHandler<ReqT, RespT> next) {
        order.add("first");
        if (headers.containsKey(deny)) {
          dev.grpcspring.Metadata trailers = new dev.grpcspring.Metadata();
          trailers.put(added, "denied");
          call.close(dev.grpcspring.Status.PERMISSION_DENIED.withDescription("denied by interceptor"),
              trailers);
          return new dev.grpcspring.ServerCall.Listener<>() {};
        }
        return next.startCall(new dev.grpcspring.interceptor.ForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(dev.grpcspring.Metadata responseHeaders) {
            responseHeaders.put(added, "by-first");
            super.sendHeaders(responseHeaders);
          }
        }, headers);
      }
    };
    dev.grpcspring.interceptor.ServerInterceptor second = new dev.grpcspring.interceptor.ServerInterceptor() {
      @Override
      public <ReqT, RespT> dev.grpcspring.ServerCall.Listener<ReqT> interceptCall(
          dev.grpcspring.ServerCall<ReqT, RespT> call, dev.grpcspring.Metadata headers,
          dev.grpcspring.ServerCallHandler<ReqT, RespT> next) {
        order.add("second");
        return next.startCall(call, headers);
      }
    };
    start(Server.builder().intercept(first).intercept(second));
    Capture c = new Capture();
    assertThat(ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel, c), UNARY,
        CallOptions.DEFAULT, sv("i")).getValue()).isEqualTo("echo:i");
    assertThat(order).containsExactly("first", "second");
    assertThat(c.headers.get(Metadata.Key.of("x-added", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("by-first");

    Metadata md = new Metadata();
    md.put(Metadata.Key.of("x-deny", Metadata.ASCII_STRING_MARSHALLER), "yes");
    Capture c2 = new Capture();
    Channel denied = ClientInterceptors.intercept(channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md), c2);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(denied, UNARY, CallOptions.DEFAULT, sv("i")));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).isEqualTo("denied by interceptor");
    assertThat(c2.trailers.get(Metadata.Key.of("x-added", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("denied");
  }

  @Test
  void slowReaderMakesTheServerNotReadyThenReadyAgain() throws Exception {
    start();
    CountDownLatch done = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
    io.grpc.stub.ClientCallStreamObserver<?>[] requests = new io.grpc.stub.ClientCallStreamObserver<?>[1];
    ClientCalls.asyncServerStreamingCall(channel.newCall(SERVER_STREAMING, CallOptions.DEFAULT),
        sv("ready"), new io.grpc.stub.ClientResponseObserver<StringValue, StringValue>() {
          @Override
          public void beforeStart(io.grpc.stub.ClientCallStreamObserver<StringValue> r) {
            requests[0] = r;
            r.disableAutoRequestWithInitial(1);
          }

          @Override
          public void onNext(StringValue value) {
            received.incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        });
    assertThat(service.events.poll(5, TimeUnit.SECONDS)).isEqualTo("onReady");
    // Only one message is read: the windows fill up and the server stops being ready.
    assertThat(service.events.poll(5, TimeUnit.SECONDS)).isEqualTo("not-ready");
    assertThat(received.get()).isLessThanOrEqualTo(1);
    requests[0].request(Integer.MAX_VALUE);
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(received.get()).isEqualTo(200);
    assertThat(service.events).contains("onReady");
  }

  @Test
  void directExecutorServesCalls() throws Exception {
    start(Server.builder().directExecutor());
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, sv("d")).getValue())
        .isEqualTo("echo:d");
    Iterator<StringValue> it =
        ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAMING, CallOptions.DEFAULT, sv("2"));
    assertThat(it.next().getValue()).isEqualTo("0");
    assertThat(it.next().getValue()).isEqualTo("1");
    assertThat(it.hasNext()).isFalse();
  }

  private void waitForStateChange(ConnectivityState from) throws InterruptedException {
    CountDownLatch changed = new CountDownLatch(1);
    if (channel.getState(false) != from) {
      return;
    }
    channel.notifyWhenStateChanged(from, changed::countDown);
    assertThat(changed.await(5, TimeUnit.SECONDS)).isTrue();
  }

  // ---- helpers ----

  static final Codec DEFLATE = new Codec() {
    @Override
    public String getMessageEncoding() {
      return "deflate";
    }

    @Override
    public OutputStream compress(OutputStream os) {
      return new DeflaterOutputStream(os);
    }

    @Override
    public InputStream decompress(InputStream is) {
      return new InflaterInputStream(is);
    }
  };

  static CompressorRegistry withDeflate(CompressorRegistry base) {
    CompressorRegistry r = CompressorRegistry.newEmptyInstance();
    r.register(new Codec.Gzip());
    r.register(DEFLATE);
    return r;
  }

  static final class Collector implements StreamObserver<StringValue> {
    final LinkedBlockingQueue<String> values = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Throwable> error = new LinkedBlockingQueue<>();
    final CountDownLatch done = new CountDownLatch(1);
    final List<String> all = new ArrayList<>();

    @Override
    public synchronized void onNext(StringValue value) {
      all.add(value.getValue());
      values.add(value.getValue());
    }

    @Override
    public void onError(Throwable t) {
      error.add(t);
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }

    List<String> await() throws InterruptedException {
      assertThat(done.await(10, TimeUnit.SECONDS)).as("stream finished").isTrue();
      Throwable t = error.peek();
      if (t != null) {
        throw new AssertionError("stream failed", t);
      }
      synchronized (this) {
        return new ArrayList<>(all);
      }
    }
  }

  /** Records the response headers and trailers of each call. */
  static final class Capture implements ClientInterceptor {
    volatile Metadata headers;
    volatile Metadata trailers;

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
        CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata md) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onHeaders(Metadata h) {
              headers = h;
              super.onHeaders(h);
            }

            @Override
            public void onClose(Status status, Metadata t) {
              trailers = t;
              super.onClose(status, t);
            }
          }, md);
        }
      };
    }
  }
}
