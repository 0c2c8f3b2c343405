package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Metadata;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {
  private static final Metadata.Key<String> ASCII =
      Metadata.Key.of("x-ascii", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> BIN =
      Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Test
  void reservedAndConnectionSpecificNamesAreKnownWhateverTheirLength() {
    for (String name : new String[] {"te", "grpc-status", "content-type", "grpc-timeout",
        "grpc-message", "grpc-encoding", "grpc-message-type", "grpc-accept-encoding", ":path",
        ":x-abcdefgh", ":abcdefghijk", ":"}) {
      assertThat(MetadataCodec.isReserved(name)).as(name).isTrue();
    }
    for (String name : new String[] {"", "tf", "user-agent", "grpc-statux", "content-typf",
        "grpc-status-details-bin", "x-grpc-message"}) {
      assertThat(MetadataCodec.isReserved(name)).as(name).isFalse();
    }
    for (String name : new String[] {"connection", "keep-alive", "proxy-connection",
        "transfer-encoding", "upgrade"}) {
      assertThat(MetadataCodec.isConnectionSpecific(name)).as(name).isTrue();
    }
    assertThat(MetadataCodec.isConnectionSpecific("upgradf")).isFalse();
    assertThat(MetadataCodec.isConnectionSpecific("grpc-message-type")).isFalse();
  }

  @Test
  void emitsUnpaddedBase64AndKeepsAsciiAndOrder() {
    Metadata md = new Metadata();
    md.put(ASCII, "one");
    md.put(BIN, new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab, 1});
    md.put(ASCII, "two");
    Http2Headers h = new DefaultHttp2Headers();
    MetadataCodec.addTo(md, h::add);
    assertThat(h.getAll("x-ascii")).extracting(CharSequence::toString).containsExactly("one", "two");
    assertThat(h.get("x-data-bin").toString()).isEqualTo("q6urAQ");
    Metadata back = MetadataCodec.fromHeaders(h);
    assertThat(back.getAll(ASCII)).containsExactly("one", "two");
    assertThat(back.get(BIN)).containsExactly(0xab, 0xab, 0xab, 1);
  }

  @Test
  void acceptsPaddedUnpaddedAndCommaJoinedBinaryValues() {
    Http2Headers h = new DefaultHttp2Headers();
    h.add("x-data-bin", "q6ur");
    h.add("x-data-bin", "AQ==");
    h.add("x-data-bin", "AQ, AgM");
    Metadata md = MetadataCodec.fromHeaders(h);
    assertThat(md.getAll(BIN)).containsExactly(
        new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab}, new byte[] {1}, new byte[] {1},
        new byte[] {2, 3});
  }

  @Test
  void hidesReservedHeadersButPassesUserAgentAndStatusDetails() {
    Http2Headers h = new DefaultHttp2Headers();
    h.method("POST").path("/a/b").scheme("http").authority("host");
    h.add("content-type", "application/grpc");
    h.add("te", "trailers");
    h.add("grpc-timeout", "1S");
    h.add("grpc-encoding", "gzip");
    h.add("grpc-accept-encoding", "gzip");
    h.add("grpc-status", "0");
    h.add("grpc-message", "m");
    h.add("grpc-message-type", "t");
    h.add("user-agent", "grpc-java/1");
    h.add("grpc-status-details-bin", "CAE");
    h.add("grpc-previous-rpc-attempts", "1");
    Metadata md = MetadataCodec.fromHeaders(h);
    assertThat(md.keys()).containsExactlyInAnyOrder(
        "user-agent", "grpc-status-details-bin", "grpc-previous-rpc-attempts");
  }

  @Test
  void dropsInvalidNamesValuesAndConnectionHeaders() {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("connection", "close");
    h.add("transfer-encoding", "chunked");
    h.add("bad name", "v");
    h.add("x-ctl", "a\u0001b");
    h.add("x-trim", "  padded\t");
    h.add("x-bad-bin", "!!!");
    Metadata md = MetadataCodec.fromHeaders(h);
    assertThat(md.keys()).containsExactly("x-trim");
    assertThat(md.get(Metadata.Key.of("x-trim", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("padded");
  }

  @Test
  void neverSendsReservedConnectionOrInvalidValues() {
    Metadata md = new Metadata();
    md.putAscii("grpc-status", "0");
    md.putAscii("content-type", "text/html");
    md.putAscii("connection", "close");
    md.putAscii("x-ok", "fine");
    md.putAscii("x-bad", "line\nbreak");
    md.putAscii("X-Upper", "v");
    Http2Headers h = new DefaultHttp2Headers();
    MetadataCodec.addTo(md, h::add);
    assertThat(h.names()).extracting(CharSequence::toString).containsExactly("x-ok");
  }

  @Test
  void pathIsBuiltOnceAndCachedInTheDescriptor() {
    dev.grpcspring.MethodDescriptor<String, String> m =
        dev.grpcspring.MethodDescriptor.<String, String>newBuilder()
            .setType(dev.grpcspring.MethodType.UNARY)
            .setFullMethodName("pkg.Svc/Call")
            .setRequestMarshaller(new NoMarshaller())
            .setResponseMarshaller(new NoMarshaller())
            .build();
    CharSequence path = GrpcHeaders.path(m);
    assertThat(path.toString()).isEqualTo("/pkg.Svc/Call");
    assertThat((Object) GrpcHeaders.path(m)).isSameAs(path);
    assertThat(m.getTransportCache()).isSameAs(path);
  }

  private static final class NoMarshaller implements dev.grpcspring.Marshaller<String> {
    @Override
    public int serializedSize(String value) {
      return 0;
    }

    @Override
    public void serialize(String value, io.netty.buffer.ByteBuf out) {}

    @Override
    public String parse(io.netty.buffer.ByteBuf in) {
      return "";
    }
  }

  @Test
  void grpcContentTypes() {
    assertThat(GrpcHeaders.isGrpcContentType("application/grpc")).isTrue();
    assertThat(GrpcHeaders.isGrpcContentType("application/grpc+proto")).isTrue();
    assertThat(GrpcHeaders.isGrpcContentType("application/GRPC;charset=utf-8")).isTrue();
    assertThat(GrpcHeaders.isGrpcContentType("application/grpcx")).isFalse();
    assertThat(GrpcHeaders.isGrpcContentType("application/json")).isFalse();
    assertThat(GrpcHeaders.isGrpcContentType(null)).isFalse();
    assertThat(MetadataCodec.decodeBinary("AQ")).isEqualTo(new byte[] {1});
    assertThat(MetadataCodec.encodeBinary("a".getBytes(StandardCharsets.US_ASCII))).isEqualTo("YQ");
  }
}
