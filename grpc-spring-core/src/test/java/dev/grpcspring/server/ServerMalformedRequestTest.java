package dev.grpcspring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests (RFC 9113 §8.1.1, §8.2, §8.3) are stream errors: each one, sent with its DATA
 * in the same write, gets RST_STREAM(PROTOCOL_ERROR) on its own stream while a streaming call on
 * the same connection carries on and completes.
 */
@Timeout(30)
class ServerMalformedRequestTest {
  private static final String BIDI = "/test.Echo/Bidi";
  private static Server server;

  @BeforeAll
  static void startServer() throws Exception {
    server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .build()
        .start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static List<String[]> good() {
    List<String[]> f = new ArrayList<>();
    f.add(new String[] {":method", "POST"});
    f.add(new String[] {":scheme", "http"});
    f.add(new String[] {":path", "/test.Echo/Unary"});
    f.add(new String[] {":authority", "localhost"});
    f.add(new String[] {"content-type", "application/grpc"});
    f.add(new String[] {"te", "trailers"});
    return f;
  }

  private static Arguments malformed(String name, UnaryOperator<List<String[]>> change) {
    return Arguments.of(name, change);
  }

  private static List<String[]> with(String name, String value) {
    List<String[]> f = good();
    f.add(new String[] {name, value});
    return f;
  }

  private static List<String[]> without(String name) {
    List<String[]> f = good();
    f.removeIf(e -> e[0].equals(name));
    return f;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        malformed("uppercase header name", f -> with("X-Upper", "v")),
        malformed("connection header", f -> with("connection", "keep-alive")),
        malformed("keep-alive header", f -> with("keep-alive", "timeout=5")),
        malformed("transfer-encoding header", f -> with("transfer-encoding", "chunked")),
        malformed("upgrade header", f -> with("upgrade", "h2c")),
        malformed("te other than trailers", f -> {
          List<String[]> l = without("te");
          l.add(new String[] {"te", "gzip"});
          return l;
        }),
        malformed("pseudo-header after a regular one", f -> {
          List<String[]> l = without(":authority");
          l.add(new String[] {":authority", "localhost"});
          return l;
        }),
        malformed("unknown pseudo-header", f -> {
          List<String[]> l = good();
          l.add(0, new String[] {":protocol", "websocket"});
          return l;
        }),
        malformed("duplicate :path", f -> {
          List<String[]> l = good();
          l.add(1, new String[] {":path", "/test.Echo/Unary"});
          return l;
        }),
        malformed("CR in a value", f -> with("x-custom", "a\rb")),
        malformed("LF in a value", f -> with("x-custom", "a\nb")),
        malformed("NUL in a value", f -> with("x-custom", "a\0b")),
        malformed("space in a name", f -> with("x custom", "v")),
        malformed("missing :scheme", f -> without(":scheme")),
        malformed("missing :method", f -> without(":method")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void malformedRequestResetsOnlyItsStream(String name, UnaryOperator<List<String[]>> change)
      throws Exception {
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      int call = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("one"), false);
      int bad = client.sendRaw(change.apply(null), frame("bad"), true);
      RawHttp2Client.Result r = client.await(bad);
      assertThat(r.rstCode).as(name).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
      assertThat(r.headers).isEmpty();
      // More DATA for the reset stream is dropped, not a connection error.
      client.sendData(bad, frame("late"), true);
      client.sendData(call, frame("two"), true);
      RawHttp2Client.Result ok = client.await(call);
      assertThat(ok.grpcStatus()).isEqualTo("0");
      assertThat(new String(ok.data.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
          .contains("bidi:one").contains("bidi:two");
      assertThat(client.isOpen()).isTrue();
    }
  }

  @Test
  void malformedTrailersResetTheStream() throws Exception {
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      int call = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("one"), false);
      int other = client.send(RawHttp2Client.grpcHeaders(BIDI), frame("x"), false);
      client.sendRawTrailers(other, List.of(new String[][] {{":path", "/x"}}));
      assertThat(client.await(other).reset.get(5, TimeUnit.SECONDS))
          .isEqualTo(Http2Error.PROTOCOL_ERROR.code());
      client.sendData(call, frame("two"), true);
      assertThat(client.await(call).grpcStatus()).isEqualTo("0");
    }
  }

  @Test
  void wellFormedRawRequestIsServed() throws Exception {
    // The hand-written HPACK of the cases above is right: unchanged, the request succeeds.
    try (RawHttp2Client client = new RawHttp2Client(server.getPort())) {
      RawHttp2Client.Result r = client.await(client.sendRaw(good(), frame("fine"), true));
      assertThat(r.grpcStatus()).isEqualTo("0");
    }
  }

  private static ByteBuf frame(String s) {
    byte[] payload = StringValue.of(s).toByteArray();
    return Unpooled.buffer().writeByte(0).writeInt(payload.length).writeBytes(payload);
  }
}
