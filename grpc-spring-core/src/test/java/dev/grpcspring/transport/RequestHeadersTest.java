package dev.grpcspring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.protocol.GrpcHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

/**
 * The fields the server reads by name come from where the checks saw them, with the same answers
 * a search of the block gives; and the checks that sort names by length still catch what they
 * caught when they compared every name.
 */
class RequestHeadersTest {
  private static RequestHeaders request(String... nameValues) {
    RequestHeaders h = new RequestHeaders(4);
    for (int i = 0; i < nameValues.length; i += 2) {
      // HPACK hands out AsciiStrings; the checks must also take other CharSequences.
      h.add(AsciiString.of(nameValues[i]), nameValues[i + 1]);
    }
    return h;
  }

  private static RequestHeaders grpcRequest(String... extra) {
    String[] base = {":method", "POST", ":scheme", "http", ":path", "/a.B/C",
        ":authority", "example.test:443", "content-type", "application/grpc", "te", "trailers"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return request(all);
  }

  @Test
  void slotsAnswerAsASearchDoes() {
    RequestHeaders h = grpcRequest("grpc-timeout", "1S", "user-agent", "x",
        "grpc-encoding", "gzip", "grpc-accept-encoding", "gzip,deflate");
    assertThat(RequestHeaders.requestProblem(h)).isNull();
    assertThat(h.method()).hasToString("POST");
    assertThat(h.scheme()).hasToString("http");
    assertThat(h.path()).hasToString("/a.B/C");
    assertThat(h.authority()).hasToString("example.test:443");
    int[] slots = {RequestHeaders.SLOT_CONTENT_TYPE, RequestHeaders.SLOT_TE,
        RequestHeaders.SLOT_GRPC_TIMEOUT, RequestHeaders.SLOT_GRPC_ENCODING,
        RequestHeaders.SLOT_GRPC_ACCEPT_ENCODING};
    CharSequence[] names = {GrpcHeaders.CONTENT_TYPE, GrpcHeaders.TE, GrpcHeaders.GRPC_TIMEOUT,
        GrpcHeaders.GRPC_ENCODING, GrpcHeaders.GRPC_ACCEPT_ENCODING};
    for (int i = 0; i < slots.length; i++) {
      assertThat(RequestHeaders.field(h, slots[i])).isEqualTo(h.get(names[i])).isNotNull();
    }
  }

  @Test
  void anAbsentFieldIsNullAndARepeatedOneIsItsFirstValue() {
    RequestHeaders h = grpcRequest("grpc-encoding", "gzip", "grpc-encoding", "deflate");
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_GRPC_TIMEOUT)).isNull();
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_GRPC_ENCODING)).hasToString("gzip");
  }

  @Test
  void aRemovalMovesTheSlotsWithTheFields() {
    RequestHeaders h = request(":method", "POST", "content-length", "05", ":path", "/a.B/C",
        "grpc-timeout", "2S", "grpc-timeout", "9S");
    // What Netty's decoder does with a length not in normal form: remove, then add at the end.
    h.setLong("content-length", 5);
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_GRPC_TIMEOUT)).hasToString("2S");
    assertThat(h.path()).hasToString("/a.B/C");
    assertThat(h.method()).hasToString("POST");
    h.remove(GrpcHeaders.GRPC_TIMEOUT);
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_GRPC_TIMEOUT)).isNull();
    assertThat(h.path()).hasToString("/a.B/C");
    assertThat(h.get("content-length")).hasToString("5");
  }

  @Test
  void aBlockTooLongForItsSlotsIsSearched() {
    String[] many = new String[2 * 200];
    for (int i = 0; i < 200; i++) {
      many[2 * i] = "x-field-" + i;
      many[2 * i + 1] = "v";
    }
    RequestHeaders h = grpcRequest(many);
    h.add(GrpcHeaders.GRPC_TIMEOUT, "3S");
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_GRPC_TIMEOUT)).hasToString("3S");
    h.add(AsciiString.of(":path"), "/again");
    assertThat(h.problem()).startsWith("pseudo-header :path after a regular header");
  }

  @Test
  void otherHeaderTypesAreSearched() {
    Http2Headers h = new DefaultHttp2Headers().add(GrpcHeaders.GRPC_TIMEOUT, "4S");
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_GRPC_TIMEOUT)).hasToString("4S");
    assertThat(RequestHeaders.field(h, RequestHeaders.SLOT_TE)).isNull();
  }

  @Test
  void theChecksStillCatchWhatTheyCaught() {
    assertThat(request(":method", "POST", ":method", "GET").problem())
        .isEqualTo("duplicate pseudo-header :method");
    assertThat(request(":status", "200").problem())
        .isEqualTo("pseudo-header :status is not a request pseudo-header");
    assertThat(request(":pathx", "/").problem())
        .isEqualTo("pseudo-header :pathx is not a request pseudo-header");
    for (String name : new String[] {"connection", "keep-alive", "proxy-connection",
        "transfer-encoding", "upgrade"}) {
      assertThat(request(name, "x").problem())
          .isEqualTo("connection-specific header '" + name + "'");
    }
    assertThat(request("te", "gzip").problem())
        .isEqualTo("te header with a value other than 'trailers'");
    // Same lengths as names with a meaning, and nothing wrong with them.
    assertThat(request("tx", "1", "upgradx", "1", "connectiox", "1", "content-typx", "1",
        "grpc-encodinx", "1").problem()).isNull();
  }
}
