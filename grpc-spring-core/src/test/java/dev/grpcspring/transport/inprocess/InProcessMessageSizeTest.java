package dev.grpcspring.transport.inprocess;

import static dev.grpcspring.transport.inprocess.InProcessHarness.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import org.junit.jupiter.api.Test;

/** Max message sizes both ways and compression over in-process, checked by the same deframer. */
class InProcessMessageSizeTest {
  @Test
  void requestLargerThanTheServerLimitIsResourceExhausted() throws Exception {
    try (InProcessHarness h = new InProcessHarness(b -> b.maxInboundMessageSize(1024), b -> {})) {
      assertThat(h.blocking().echo(req("y".repeat(1000))).getText()).hasSize(1000);
      assertThatThrownBy(() -> h.blocking().echo(req("y".repeat(2000))))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("larger than max").contains("1024");
          });
      // The limit holds after decompression too: a message gzip squeezes small still counts whole.
      assertThatThrownBy(() -> h.blocking().withCompression("gzip").echo(req("y".repeat(5000))))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
      assertThat(h.blocking().echo(req("still fine")).getText()).isEqualTo("still fine");
    }
  }

  @Test
  void responseLargerThanTheClientLimitIsResourceExhausted() throws Exception {
    try (InProcessHarness h = new InProcessHarness(b -> {},
        b -> b.defaultCallOptions(CallOptions.DEFAULT.withMaxInboundMessageSize(2048)))) {
      assertThat(h.blocking().echo(req("size:1000")).getText()).hasSize(1000);
      assertThatThrownBy(() -> h.blocking().echo(req("size:4000")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("larger than max").contains("2048");
          });
      assertThatThrownBy(() -> h.blocking().withMaxInboundMessageSize(500).echo(req("size:1000")))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    }
  }

  @Test
  void compressedRequestsAreDecompressedByTheServer() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      String text = "compress me ".repeat(1000);
      assertThat(h.blocking().withCompression("gzip").echo(req(text)).getText()).isEqualTo(text);
      assertThat(h.blocking().withCompression("deflate").echo(req(text)).getText()).isEqualTo(text);
    }
  }

  @Test
  void encodingTheServerDoesNotKnowIsUnimplemented() throws Exception {
    try (InProcessHarness h = new InProcessHarness(
        b -> b.compressorRegistry(dev.grpcspring.codec.CompressorRegistry.newBuilder().build()),
        b -> {})) {
      assertThatThrownBy(() -> h.blocking().withCompression("gzip").echo(req("x")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(e.getStatus().getDescription()).contains("Unsupported grpc-encoding 'gzip'");
          });
    }
  }
}
