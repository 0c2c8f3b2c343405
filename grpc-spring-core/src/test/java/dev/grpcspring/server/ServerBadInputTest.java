package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests no well-behaved client sends, on a raw HTTP/2 connection. Each gets the status
 * PROTOCOL.md gives, and a good call on the same connection still works afterwards.
 */
@Timeout(30)
class ServerBadInputTest {
  private static final String UNARY = "/test.Echo/Unary";
  private static Server server;
  private RawHttp2Client client;

  @BeforeAll
  static void startServer() throws Exception {
    server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .maxInboundMessageSize(1024)
        .maxConcurrentStreams(50)
        .build()
        .start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() throws Exception {
    client = new RawHttp2Client(server.getPort());
  }

  @AfterEach
  void disconnect() throws Exception {
    // Every test ends by proving the connection still serves calls.
    assertGoodCallWorks();
    assertThat(client.isOpen()).isTrue();
    client.close();
  }

  private void assertGoodCallWorks() throws Exception {
    int id = client.send(RawHttp2Client.grpcHeaders(UNARY), frame(0, message("ok")), true);
    RawHttp2Client.Result r = client.await(id);
    assertThat(r.status()).isEqualTo("200");
    assertThat(r.headers).hasSize(2);
    assertThat(r.grpcStatus()).isEqualTo("0");
    byte[] data = r.data.toByteArray();
    assertThat(StringValue.parseFrom(java.util.Arrays.copyOfRange(data, 5, data.length)).getValue())
        .isEqualTo("echo:ok");
  }

  @Test
  void wrongMethodIs405Internal() throws Exception {
    Http2Headers h = RawHttp2Client.grpcHeaders(UNARY).method("GET");
    RawHttp2Client.Result r = client.await(client.send(h, null, true));
    assertThat(r.status()).isEqualTo("405");
    assertThat(r.grpcStatus()).isEqualTo("13");
    assertThat(r.grpcMessage()).contains("GET");
  }

  @Test
  void wrongContentTypeIs415Internal() throws Exception {
    Http2Headers h = RawHttp2Client.grpcHeaders(UNARY).set("content-type", "application/json");
    RawHttp2Client.Result r = client.await(client.send(h, frame(0, message("x")), true));
    assertThat(r.status()).isEqualTo("415");
    assertThat(r.grpcStatus()).isEqualTo("13");
    Http2Headers none = RawHttp2Client.grpcHeaders(UNARY);
    none.remove("content-type");
    RawHttp2Client.Result r2 = client.await(client.send(none, null, true));
    assertThat(r2.status()).isEqualTo("415");
  }

  @Test
  void missingOrBadPathIs404Unimplemented() throws Exception {
    Http2Headers h = RawHttp2Client.grpcHeaders(UNARY);
    h.remove(":path");
    RawHttp2Client.Result r = client.await(client.send(h, null, true));
    assertThat(r.status()).isEqualTo("404");
    assertThat(r.grpcStatus()).isEqualTo("12");
    RawHttp2Client.Result r2 =
        client.await(client.send(RawHttp2Client.grpcHeaders("test.Echo/Unary"), null, true));
    assertThat(r2.status()).isEqualTo("404");
    assertThat(r2.grpcStatus()).isEqualTo("12");
  }

  @Test
  void unknownMethodIsTrailersOnlyUnimplementedThenReset() throws Exception {
    // Not half-closed: after the Trailers-Only answer the server resets with NO_ERROR.
    int id = client.send(RawHttp2Client.grpcHeaders("/test.Echo/Nope"), null, false);
    RawHttp2Client.Result r = client.await(id);
    assertThat(r.headers).hasSize(1);
    assertThat(r.status()).isEqualTo("200");
    assertThat(r.first().get("content-type").toString()).isEqualTo("application/grpc");
    assertThat(r.grpcStatus()).isEqualTo("12");
    assertThat(r.grpcMessage()).isEqualTo("Method not found: test.Echo/Nope");
    assertThat(r.reset.get(5, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
  }

  @Test
  void oversizedHeadersAre431ResourceExhausted() throws Exception {
    Http2Headers h = RawHttp2Client.grpcHeaders(UNARY).add("x-big", "v".repeat(9000));
    RawHttp2Client.Result r = client.await(client.send(h, frame(0, message("x")), true));
    assertThat(r.status()).isEqualTo("431");
    assertThat(r.grpcStatus()).isEqualTo("8");
  }

  @Test
  void messageOverTheLimitIsRefusedFromItsPrefix() throws Exception {
    // Only the 5-byte prefix of a 1 MiB message, stream left open: refused at once.
    ByteBuf prefix = Unpooled.buffer().writeByte(0).writeInt(1024 * 1024);
    int id = client.send(RawHttp2Client.grpcHeaders(UNARY), prefix, false);
    RawHttp2Client.Result r = client.await(id);
    assertThat(r.grpcStatus()).isEqualTo("8");
    assertThat(r.grpcMessage()).contains("1048576 vs. 1024");
  }

  @Test
  void messageCutShortAtEndOfStreamIsInternal() throws Exception {
    ByteBuf partial = Unpooled.buffer().writeByte(0).writeInt(10).writeBytes(new byte[] {1, 2, 3});
    RawHttp2Client.Result r =
        client.await(client.send(RawHttp2Client.grpcHeaders(UNARY), partial, true));
    assertThat(r.grpcStatus()).isEqualTo("13");
    assertThat(r.grpcMessage()).contains("end-of-stream");
  }

  @Test
  void compressedFlagWithoutEncodingIsInternal() throws Exception {
    RawHttp2Client.Result r = client.await(
        client.send(RawHttp2Client.grpcHeaders(UNARY), frame(1, message("x")), true));
    assertThat(r.grpcStatus()).isEqualTo("13");
    assertThat(r.grpcMessage()).contains("grpc-encoding");
  }

  @Test
  void unknownEncodingIsUnimplementedWithAcceptEncoding() throws Exception {
    Http2Headers h = RawHttp2Client.grpcHeaders(UNARY).add("grpc-encoding", "snappy");
    RawHttp2Client.Result r = client.await(client.send(h, frame(1, message("x")), true));
    assertThat(r.status()).isEqualTo("200");
    assertThat(r.grpcStatus()).isEqualTo("12");
    assertThat(r.grpcMessage()).contains("snappy").contains("gzip").contains("deflate");
    String accept = r.first().get("grpc-accept-encoding").toString();
    assertThat(accept).contains("gzip").doesNotContain("snappy");
  }

  @Test
  void bytesThatAreNotProtobufAreInternal() throws Exception {
    byte[] garbage = new byte[12];
    java.util.Arrays.fill(garbage, (byte) 0xff);
    RawHttp2Client.Result r = client.await(
        client.send(RawHttp2Client.grpcHeaders(UNARY), frame(0, garbage), true));
    assertThat(r.grpcStatus()).isEqualTo("13");
    assertThat(r.grpcMessage()).contains("google.protobuf.StringValue");
  }

  @Test
  void malformedTimeoutIsInternal() throws Exception {
    Http2Headers h = RawHttp2Client.grpcHeaders(UNARY).add("grpc-timeout", "123456789S");
    RawHttp2Client.Result r = client.await(client.send(h, frame(0, message("x")), true));
    assertThat(r.grpcStatus()).isEqualTo("13");
    assertThat(r.grpcMessage()).contains("grpc-timeout");
  }

  @Test
  void messageSplitAcrossManyDataFrames() throws Exception {
    byte[] framed = frameBytes(0, message("split"));
    int id = client.send(RawHttp2Client.grpcHeaders(UNARY),
        Unpooled.wrappedBuffer(framed, 0, 2), false);
    for (int i = 2; i < framed.length; i++) {
      client.sendData(id, Unpooled.wrappedBuffer(framed, i, 1), i == framed.length - 1);
    }
    RawHttp2Client.Result r = client.await(id);
    assertThat(r.grpcStatus()).isEqualTo("0");
  }

  @Test
  void settingsAdvertiseLimits() throws Exception {
    var settings = client.serverSettings.get(5, TimeUnit.SECONDS);
    assertThat(settings.maxConcurrentStreams()).isEqualTo(50L);
    assertThat(settings.maxHeaderListSize()).isEqualTo(8192L);
    assertThat(settings.initialWindowSize()).isEqualTo(1024 * 1024);
  }

  @Test
  void anExecutorThatRefusesWorkFailsOnlyThatCall() throws Exception {
    try (Server s = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .executor(task -> {
          throw new java.util.concurrent.RejectedExecutionException("test executor is full");
        })
        .build().start();
        RawHttp2Client other = new RawHttp2Client(s.getPort())) {
      for (int i = 0; i < 2; i++) {
        RawHttp2Client.Result r = other.await(
            other.send(RawHttp2Client.grpcHeaders(UNARY), frame(0, message("x")), true));
        assertThat(r.grpcStatus()).isEqualTo("14");
        assertThat(other.isOpen()).isTrue();
      }
    }
  }

  @Test
  void anElasticPoolThatIsShutDownFailsTheCallsOfARead() throws Exception {
    // Our own pool takes a read's calls at once (ElasticExecutor.executeAll); refused, every one
    // of them must still end with a status and the connection stay open.
    ElasticPool pool = ElasticPool.create("refusing", 2, Duration.ofSeconds(1));
    pool.shutdown();
    try (Server s = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .executor(pool)
        .build().start();
        RawHttp2Client other = new RawHttp2Client(s.getPort())) {
      List<Integer> streams = other.sendInOneFlush(3, RawHttp2Client.grpcHeaders(UNARY),
          () -> frame(0, message("x")));
      for (int stream : streams) {
        RawHttp2Client.Result r = other.await(stream);
        assertThat(r.grpcStatus()).isEqualTo("14");
        assertThat(r.grpcMessage()).contains("could not schedule the call");
      }
      assertThat(other.isOpen()).isTrue();
    }
  }

  @Test
  void silentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (Server s = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .handshakeTimeout(Duration.ofMillis(200)).build().start();
        Socket socket = new Socket("127.0.0.1", s.getPort())) {
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      long start = System.nanoTime();
      // The server's own SETTINGS may arrive first; then the connection must end.
      while (in.read() >= 0) {
        // drain
      }
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(4));
    }
  }

  private static byte[] message(String s) {
    return StringValue.of(s).toByteArray();
  }

  private static byte[] frameBytes(int flag, byte[] payload) {
    ByteBuf b = frame(flag, payload);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    b.release();
    return out;
  }

  private static ByteBuf frame(int flag, byte[] payload) {
    return Unpooled.buffer().writeByte(flag).writeInt(payload.length).writeBytes(payload);
  }
}
