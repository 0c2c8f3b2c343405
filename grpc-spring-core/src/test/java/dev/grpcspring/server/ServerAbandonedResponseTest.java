package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.Context;
import dev.grpcspring.Marshaller;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.testing.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A response larger than one pooled buffer (framed as a composite of pooled pieces) must be
 * released when the client goes away before it is written: while it waits for flow-control
 * credit, or when it reaches a stream that has already closed. Each test ends by asking Netty's
 * leak detector (paranoid in tests) for reports, after the server and client are gone.
 */
@Timeout(60)
class ServerAbandonedResponseTest {
  /** Over {@code MessageFramer.MAX_BUFFER}: framed in pieces into a composite buffer. */
  private static final StringValue BIG = StringValue.of("x".repeat(2 * 1024 * 1024));

  private final CountDownLatch sent = new CountDownLatch(1);
  private final CountDownLatch serializing = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);

  @Test
  void responseWaitingForCreditIsReleasedWhenTheConnectionCloses() throws Exception {
    try (Server server = start()) {
      RawHttp2Client client = new RawHttp2Client(server.getPort());
      try {
        callBigAndStall(client);
        client.close();
        assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        client.close();
      }
    }
    assertNoLeaks();
  }

  @Test
  void responseWaitingForCreditIsReleasedWhenTheClientResetsTheStream() throws Exception {
    try (Server server = start(); RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      int id = callBigAndStall(client);
      client.write((h, ctx) -> h.encoder().writeRstStream(ctx, id, Http2Error.CANCEL.code(),
          ctx.newPromise()));
      assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
      // The server keeps the connection: the reset ended only the stream.
      assertThat(client.isOpen()).isTrue();
    }
    assertNoLeaks();
  }

  @Test
  void unaryResponseQueuedForItsTrailersIsReleasedWhenTheClientResetsTheStream()
      throws Exception {
    try (Server server = start(); RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(10, TimeUnit.SECONDS);
      int id = client.send(RawHttp2Client.grpcHeaders("/test.Abandon/Held"), request(), true);
      // Queued, unflushed: the trailers would have brought it out.
      assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
      client.write((h, ctx) -> h.encoder().writeRstStream(ctx, id, Http2Error.CANCEL.code(),
          ctx.newPromise()));
      assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
      client.ping(42);
      awaitPingAck(client);
    }
    assertNoLeaks();
  }

  @Test
  void unaryResponseQueuedForItsTrailersIsReleasedWhenTheConnectionCloses() throws Exception {
    try (Server server = start()) {
      RawHttp2Client client = new RawHttp2Client(server.getPort());
      try {
        client.serverSettings.get(10, TimeUnit.SECONDS);
        client.send(RawHttp2Client.grpcHeaders("/test.Abandon/Held"), request(), true);
        assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
        client.close();
        assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        client.close();
      }
    }
    assertNoLeaks();
  }

  @Test
  void responseFramedWhileTheClientResetsIsReleasedWhenItReachesTheClosedStream()
      throws Exception {
    try (Server server = start(); RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      client.serverSettings.get(10, TimeUnit.SECONDS);
      int id = client.send(RawHttp2Client.grpcHeaders("/test.Abandon/Late"), request(), true);
      // The handler is inside sendMessage, past its cancellation check, serializing.
      assertThat(serializing.await(30, TimeUnit.SECONDS)).isTrue();
      client.write((h, ctx) -> h.encoder().writeRstStream(ctx, id, Http2Error.CANCEL.code(),
          ctx.newPromise()));
      // The framed message reaches the stream only after it closed.
      assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
      // A round trip on the connection: the write queue has run the message's write by now.
      client.ping(42);
      awaitPingAck(client);
    }
    assertNoLeaks();
  }

  @Test
  void responseFramedWhileTheConnectionClosesIsReleased() throws Exception {
    try (Server server = start()) {
      RawHttp2Client client = new RawHttp2Client(server.getPort());
      client.serverSettings.get(10, TimeUnit.SECONDS);
      client.send(RawHttp2Client.grpcHeaders("/test.Abandon/Late"), request(), true);
      assertThat(serializing.await(30, TimeUnit.SECONDS)).isTrue();
      client.close();
      assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertNoLeaks();
  }

  /**
   * Calls Big and stops reading once the response has started: the rest of the 2 MiB response
   * then waits on the server for flow-control credit that never comes.
   */
  private int callBigAndStall(RawHttp2Client client) throws Exception {
    client.serverSettings.get(10, TimeUnit.SECONDS);
    int id = client.send(RawHttp2Client.grpcHeaders("/test.Abandon/Big"), request(), true);
    assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
    client.stream(id).firstData.get(30, TimeUnit.SECONDS);
    client.stopReading();
    return id;
  }

  private static void awaitPingAck(RawHttp2Client client) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.pingAcks.get() == 0) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /**
   * Netty reports a leaked buffer only once the garbage collector found it unreachable, and the
   * server's event loop lets go of its connection only as it terminates, shortly after close: so
   * ask the detector a few times before concluding there was no leak.
   */
  private static void assertNoLeaks() throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      assertThat(LeakRecorder.collect()).isEmpty();
      Thread.sleep(100);
    }
  }

  private static ByteBuf request() {
    byte[] payload = StringValue.of("go").toByteArray();
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }

  private Server start() throws IOException {
    Marshaller<StringValue> plain = EchoService.MARSHALLER;
    MethodDescriptor<StringValue, StringValue> big = method("Big", MethodType.SERVER_STREAMING,
        plain);
    // Unary: the one response is queued without a flush, to go out with the trailers.
    MethodDescriptor<StringValue, StringValue> held = method("Held", MethodType.UNARY, plain);
    MethodDescriptor<StringValue, StringValue> late = method("Late", MethodType.UNARY,
        serializingOnlyOnceCancelled(plain));
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder("test.Abandon")
        .addMethod(big).addMethod(held).addMethod(late).build();
    return Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(ServerServiceDefinition.builder(descriptor)
            .addMethod(big, sendBig(false))
            .addMethod(held, sendBig(true))
            .addMethod(late, sendBig(true))
            .build())
        .build().start();
  }

  /**
   * Serializes large messages (the path of {@code MessageFramer}'s pooled pieces) only once the
   * call is cancelled: the framed message then reaches a stream that has already closed.
   */
  private Marshaller<StringValue> serializingOnlyOnceCancelled(Marshaller<StringValue> plain) {
    return new Marshaller<>() {
      @Override
      public int serializedSize(StringValue value) {
        return plain.serializedSize(value);
      }

      @Override
      public void serialize(StringValue value, ByteBuf out) {
        plain.serialize(value, out);
      }

      @Override
      public void serialize(StringValue value, OutputStream out) throws IOException {
        serializing.countDown();
        try {
          assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        plain.serialize(value, out);
      }

      @Override
      public StringValue parse(ByteBuf in) {
        return plain.parse(in);
      }
    };
  }

  /**
   * Sends one 2 MiB response. A streaming call then stays open (the client is the one that goes
   * away); a unary one closes, as a handler does, but only once it is cancelled, so that its
   * response, queued to go out with the trailers, is still queued when the client goes away.
   */
  private ServerCallHandler<StringValue, StringValue> sendBig(boolean unary) {
    return (call, headers) -> {
      // Direct executor: counts down on the event loop, even while the handler is busy.
      Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
      call.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onHalfClose() {
          call.sendHeaders(new Metadata());
          call.sendMessage(BIG);
          sent.countDown();
          if (unary) {
            try {
              assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            // A no-op on a cancelled call: nothing of it flushes the queued response.
            call.close(Status.OK, new Metadata());
          }
        }
      };
    };
  }

  private static MethodDescriptor<StringValue, StringValue> method(String name, MethodType type,
      Marshaller<StringValue> responses) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(type)
        .setFullMethodName("test.Abandon/" + name)
        .setRequestMarshaller(EchoService.MARSHALLER)
        .setResponseMarshaller(responses)
        .build();
  }
}
