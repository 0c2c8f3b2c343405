package dev.grpcspring.transport;

import dev.grpcspring.protocol.MessageFramer;
import dev.grpcspring.protocol.CallHeader;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.codec.ProtoMarshaller;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client transport alone, against grpc-java's server: life events and one stream. */
class Http2ClientTest {
  static EventLoopGroup group;

  @BeforeAll
  static void setUp() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void tearDown() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static ClientTransportOptions options() {
    return new ClientTransportOptions(group, null,
        dev.grpcspring.credentials.TransportCredentials.insecure(), 5000, 1 << 20, 1 << 20, true, 8192,
        CompressorRegistry.getDefaultInstance(), ForkJoinPool.commonPool());
  }

  /** Records transport events as strings, in order. */
  static final class Events implements ClientTransportListener {
    final BlockingQueue<String> q = new LinkedBlockingQueue<>();

    @Override
    public void transportReady() {
      q.add("ready");
    }

    @Override
    public void transportShutdown(Status status) {
      q.add("shutdown:" + status.getCode() + ":" + status.getDescription());
    }

    @Override
    public void transportTerminated() {
      q.add("terminated");
    }

    String next() throws InterruptedException {
      return q.poll(5, TimeUnit.SECONDS);
    }
  }

  /** Records one stream's events. */
  static final class StreamEvents implements ClientStreamListener {
    final BlockingQueue<Object> q = new LinkedBlockingQueue<>();

    @Override
    public void onHeaders(Metadata headers) {
      q.add("headers");
    }

    @Override
    public void onMessage(ByteBuf message) {
      try {
        q.add(ProtoMarshaller.of(StringValue.getDefaultInstance()).parse(message).getValue());
      } finally {
        message.release();
      }
    }

    @Override
    public void onReady() {}

    @Override
    public void onClose(Status status, Metadata trailers, RpcProgress progress) {
      q.add(status.getCode() + "/" + progress);
    }
  }

  static io.grpc.Server echoServer() throws Exception {
    return echoServer(new LinkedBlockingQueue<>());
  }

  /** grpc-java's echo server; {@code started} hears "started" when a call's headers arrive. */
  static io.grpc.Server echoServer(BlockingQueue<String> started) throws Exception {
    io.grpc.MethodDescriptor<StringValue, StringValue> m = io.grpc.MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodType.UNARY).setFullMethodName("t.T/U")
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance())).build();
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("t.T").addMethod(m,
            ServerCalls.asyncUnaryCall((StringValue req, io.grpc.stub.StreamObserver<StringValue> obs) -> {
              obs.onNext(StringValue.of("re:" + req.getValue()));
              obs.onCompleted();
            })).build())
        .intercept(new io.grpc.ServerInterceptor() {
          @Override
          public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
              io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
            started.add("started");
            return next.startCall(call, headers);
          }
        })
        .build().start();
  }

  static ByteBuf framed(String s) {
    return new MessageFramer(ByteBufAllocator.DEFAULT, Integer.MAX_VALUE)
        .frame(StringValue.of(s), ProtoMarshaller.of(StringValue.getDefaultInstance()));
  }

  /** Opens a stream as a call does: made, its headers written, started. */
  static Http2ClientStream open(Http2Client t, ClientStreamListener l, boolean clientSendsOneMessage) {
    Http2ClientStream s = t.newStream(l, 1 << 20, clientSendsOneMessage);
    header("localhost").writeTo(s.requestHeaders(), false);
    s.start();
    return s;
  }

  /** A transport to {@code server}, started, whose "ready" {@code events} has already taken. */
  private static Http2Client ready(io.grpc.Server server, Events events) throws Exception {
    Http2Client t = new Http2Client(
        new InetSocketAddress("127.0.0.1", server.getPort()), "localhost", options(), events);
    t.start();
    assertThat(events.next()).isEqualTo("ready");
    return t;
  }

  static CallHeader header(String authority) {
    return new CallHeader("/t.T/U", authority, null, null, null, "gzip", "test", new Metadata());
  }

  @Test
  void readyThenAStreamThenShutdownAndTerminated() throws Exception {
    io.grpc.Server server = echoServer();
    Events events = new Events();
    Http2Client t = ready(server, events);
    try {
      StreamEvents se = new StreamEvents();
      Http2ClientStream s = open(t, se, false);
      s.request(1);
      s.writeMessage(framed("hi"), true);
      s.halfClose();
      assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("headers");
      assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("re:hi");
      assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("OK/PROCESSED");

      t.shutdown(Status.UNAVAILABLE.withDescription("done"));
      assertThat(events.next()).isEqualTo("shutdown:UNAVAILABLE:done");
      assertThat(events.next()).isEqualTo("terminated");
      // A stream asked for after shutdown never leaves the process.
      StreamEvents late = new StreamEvents();
      open(t, late, false);
      assertThat(late.q.poll(5, TimeUnit.SECONDS)).isEqualTo("UNAVAILABLE/NOT_SENT");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCallThatSendsOneMessageLeavesAtTheHalfCloseInOneBatch() throws Exception {
    BlockingQueue<String> started = new LinkedBlockingQueue<>();
    io.grpc.Server server = echoServer(started);
    Events events = new Events();
    Http2Client t = ready(server, events);
    try {
      StreamEvents se = new StreamEvents();
      Http2ClientStream s = open(t, se, true);
      s.request(1);
      s.writeMessage(framed("batched"), true);
      // Headers, message and request wait for the half-close (one write, one event-loop wake-up).
      assertThat(started.poll(300, TimeUnit.MILLISECONDS)).isNull();
      s.halfClose();
      assertThat(started.poll(5, TimeUnit.SECONDS)).isEqualTo("started");
      assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("headers");
      assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("re:batched");
      assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("OK/PROCESSED");

      // A streaming call's headers leave at once.
      StreamEvents streaming = new StreamEvents();
      Http2ClientStream open = open(t, streaming, false);
      assertThat(started.poll(5, TimeUnit.SECONDS)).isEqualTo("started");
      open.cancel(Status.CANCELLED.withDescription("done"));
    } finally {
      t.shutdown(Status.UNAVAILABLE.withDescription("done"));
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRequestWrittenInPlaceWithEndStreamClosesItsSideOfTheStream() throws Exception {
    io.grpc.Server server = echoServer();
    Events events = new Events();
    Http2Client t = ready(server, events);
    try {
      for (int i = 0; i < 3; i++) {
        StreamEvents se = new StreamEvents();
        Http2ClientStream s = open(t, se, true);
        s.request(1);
        // Framed as calls frame: room for the DATA frame header, so it leaves as one buffer
        // with END_STREAM, outside Netty's flow controller.
        s.writeMessage(new MessageFramer(ByteBufAllocator.DEFAULT, Integer.MAX_VALUE,
            ClientTransportStream.FRAME_HEADROOM).frame(StringValue.of("in place " + i),
            ProtoMarshaller.of(StringValue.getDefaultInstance())), true);
        s.halfClose();
        assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("headers");
        assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("re:in place " + i);
        assertThat(se.q.poll(5, TimeUnit.SECONDS)).isEqualTo("OK/PROCESSED");
      }
      // Our END_STREAM closed our side of each stream, and the server's closed the rest: none is
      // left open (one left half-closed would count against the server's stream limit forever).
      // Read on the connection's event loop (the group has one).
      int open = group.next().submit(() -> t.handler().connection().numActiveStreams())
          .get(5, TimeUnit.SECONDS);
      assertThat(open).isZero();
    } finally {
      t.shutdown(Status.UNAVAILABLE.withDescription("done"));
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMessageHeldForTheHalfCloseIsReleasedWhenTheCallEndsWithoutIt() throws Exception {
    io.grpc.Server server = echoServer();
    Events events = new Events();
    Http2Client t = ready(server, events);
    try {
      // Cancelled between its message and its half-close: the held message is released.
      StreamEvents cancelled = new StreamEvents();
      Http2ClientStream s = open(t, cancelled, true);
      ByteBuf message = framed("never sent");
      s.writeMessage(message, true);
      assertThat(message.refCnt()).isEqualTo(1);
      s.cancel(Status.CANCELLED.withDescription("by the test"));
      assertThat(cancelled.q.poll(5, TimeUnit.SECONDS)).isEqualTo("CANCELLED/PROCESSED");
      assertThat(message.refCnt()).isZero();

      // Written after the stream closed: released at once, never sent.
      ByteBuf late = framed("too late");
      s.writeMessage(late, true);
      assertThat(late.refCnt()).isZero();
    } finally {
      t.shutdown(Status.UNAVAILABLE.withDescription("done"));
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void connectFailureReportsShutdownThenTerminatedButNeverReady() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Events events = new Events();
    new Http2Client(new InetSocketAddress("127.0.0.1", port), "x", options(), events).start();
    String shutdown = events.next();
    assertThat(shutdown).startsWith("shutdown:" + Code.UNAVAILABLE).containsIgnoringCase("refused");
    assertThat(events.next()).isEqualTo("terminated");
    assertThat(events.q).isEmpty();
  }

  @Test
  void serverGoingAwayFailsNothingAlreadyDoneAndEndsTheTransport() throws Exception {
    io.grpc.Server server = echoServer();
    Events events = new Events();
    Http2Client t = ready(server, events);
    server.shutdown(); // graceful: GOAWAY, then the server closes the idle connection
    assertThat(events.next()).startsWith("shutdown:UNAVAILABLE").contains("GOAWAY");
    assertThat(events.next()).isEqualTo("terminated");
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
