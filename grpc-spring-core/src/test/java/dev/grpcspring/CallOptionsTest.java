package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallOptionsTest {
  private static final CallOptions.Key<String> TAG = CallOptions.Key.createWithDefault("tag", "none");

  @Test
  void withReturnsCopies() {
    CallOptions o = CallOptions.DEFAULT.withCompression("gzip").withWaitForReady();
    assertThat(CallOptions.DEFAULT.getCompressor()).isNull();
    assertThat(CallOptions.DEFAULT.isWaitForReady()).isFalse();
    assertThat(o.getCompressor()).isEqualTo("gzip");
    assertThat(o.isWaitForReady()).isTrue();
    assertThat(o.withoutWaitForReady().getWaitForReady()).isFalse();
  }

  @Test
  void customOptionsReplaceAndDefault() {
    CallOptions o = CallOptions.DEFAULT.withOption(TAG, "a").withOption(TAG, "b");
    assertThat(o.getOption(TAG)).isEqualTo("b");
    assertThat(CallOptions.DEFAULT.getOption(TAG)).isEqualTo("none");
    assertThat(o.toString()).contains("tag=b");
  }

  @Test
  void negativeSizesAreRejected() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withMaxInboundMessageSize(-1))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> CallOptions.DEFAULT.withMaxOutboundMessageSize(-5))
        .hasMessageContaining(">= 0");
  }
}
