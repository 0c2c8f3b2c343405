package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Deadline;
import dev.grpcspring.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallHeaderTest {
  private static List<String> write(CallHeader h, boolean secure) {
    List<String> out = new ArrayList<>();
    h.writeTo((name, value) -> out.add(name + ": " + value), secure);
    return out;
  }

  @Test
  void writesTheRequestHeadersInTheSpecsOrder() {
    Metadata md = new Metadata();
    md.putAscii("x-custom", "v");
    CallHeader h = new CallHeader("/pkg.Svc/Call", "example.com:443",
        Deadline.after(5, TimeUnit.SECONDS), "proto", "gzip", "gzip,deflate", "ua/1", md);
    List<String> headers = write(h, true);
    assertThat(headers).hasSize(11);
    assertThat(headers.subList(0, 5)).containsExactly(":method: POST", ":scheme: https",
        ":path: /pkg.Svc/Call", ":authority: example.com:443", "te: trailers");
    assertThat(headers.get(5)).matches("grpc-timeout: \\d+[mu]");
    assertThat(headers.subList(6, 11)).containsExactly("content-type: application/grpc+proto",
        "grpc-encoding: gzip", "grpc-accept-encoding: gzip,deflate", "user-agent: ua/1",
        "x-custom: v");
  }

  @Test
  void leavesOutWhatIsNotSet() {
    CallHeader h = new CallHeader("/a/b", "host", null, null, "identity", "", null,
        new Metadata());
    assertThat(write(h, false)).containsExactly(":method: POST", ":scheme: http", ":path: /a/b",
        ":authority: host", "te: trailers", "content-type: application/grpc");
  }
}
