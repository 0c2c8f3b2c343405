package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrayHeadersTest {
  @Test
  void readsWhatWasAddedByNameAndInOrder() {
    ArrayHeaders h = new ArrayHeaders(2);
    h.add(AsciiString.of(":status"), AsciiString.of("200"));
    h.add(AsciiString.of("content-type"), AsciiString.of("application/grpc"));
    h.add(AsciiString.of("x-a"), AsciiString.of("1"));
    h.add(AsciiString.of("x-a"), AsciiString.of("2"));
    h.add(AsciiString.of("grpc-status"), AsciiString.of("0")); // past the size hint: grows

    assertThat(h.size()).isEqualTo(5);
    assertThat(h.status()).hasToString("200");
    assertThat(h.get("content-type")).hasToString("application/grpc");
    assertThat(h.get("x-a")).hasToString("1");
    assertThat(h.getAll("x-a")).extracting(Object::toString).containsExactly("1", "2");
    assertThat(h.getAll("missing")).isEmpty();
    assertThat(h.get("missing")).isNull();
    assertThat(h.contains("grpc-status")).isTrue();
    assertThat(h.contains("x-a", "2")).isTrue();
    assertThat(h.contains("content-type", "APPLICATION/GRPC", true)).isTrue();
    assertThat(h.contains("content-type", "APPLICATION/GRPC", false)).isFalse();
    assertThat(h.method()).isNull();

    List<String> seen = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      seen.add(e.getKey() + "=" + e.getValue());
    }
    assertThat(seen).containsExactly(":status=200", "content-type=application/grpc", "x-a=1",
        "x-a=2", "grpc-status=0");
  }

  @Test
  void replacesAndRemovesAsContentLengthNormalizationDoes() {
    ArrayHeaders h = new ArrayHeaders(4);
    h.add("content-length", "10");
    h.add("x-b", "1");
    h.add("content-length", "10");
    h.setLong("content-length", 10);
    assertThat(h.getAll("content-length")).extracting(Object::toString).containsExactly("10");
    assertThat(h.remove("x-b")).isTrue();
    assertThat(h.remove("x-b")).isFalse();
    assertThat(h.size()).isEqualTo(1);
    h.status("204");
    assertThat(h.status()).hasToString("204");
    assertThat(h.clear().isEmpty()).isTrue();
  }

  @Test
  void settingTheLengthAFieldAlreadyHoldsLeavesTheBlockAsItIs() {
    ArrayHeaders h = new ArrayHeaders(4);
    AsciiString sent = AsciiString.of("100");
    h.add("content-length", sent);
    h.add("x-b", "1");
    h.setLong("content-length", 100);
    assertThat(h.get("content-length")).isSameAs(sent);
    assertThat(h.nameOf(0)).hasToString("content-length");

    h.setLong("content-length", 101);
    assertThat(h.getAll("content-length")).extracting(Object::toString).containsExactly("101");
    assertThat(h.nameOf(0)).hasToString("x-b");
  }

  @Test
  void onlyTheNormalDecimalFormCountsAsTheSameLength() {
    assertThat(ArrayHeaders.isDecimal("0", 0)).isTrue();
    assertThat(ArrayHeaders.isDecimal("123456789012345678", 123456789012345678L)).isTrue();
    assertThat(ArrayHeaders.isDecimal("05", 5)).isFalse();
    assertThat(ArrayHeaders.isDecimal("+5", 5)).isFalse();
    assertThat(ArrayHeaders.isDecimal(" 5", 5)).isFalse();
    assertThat(ArrayHeaders.isDecimal("", 0)).isFalse();
    assertThat(ArrayHeaders.isDecimal("6", 5)).isFalse();
    assertThat(ArrayHeaders.isDecimal("9223372036854775807", Long.MAX_VALUE)).isFalse();
  }

  @Test
  void hpackDecodesIntoIt() throws Exception {
    Http2Headers sent = new DefaultHttp2Headers().status("200")
        .add("content-type", "application/grpc").add("x-trace-bin", "AAE");
    ByteBuf block = Unpooled.buffer();
    new DefaultHttp2HeadersEncoder().encodeHeaders(3, sent, block);
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true) {
      @Override
      protected Http2Headers newHeaders() {
        return new ArrayHeaders(numberOfHeadersGuess());
      }
    };
    try {
      Http2Headers got = decoder.decodeHeaders(3, block);
      assertThat(got).isInstanceOf(ArrayHeaders.class);
      assertThat(got.status()).hasToString("200");
      assertThat(got.get("x-trace-bin")).hasToString("AAE");
      assertThat(got.size()).isEqualTo(3);
    } finally {
      block.release();
    }
  }
}
