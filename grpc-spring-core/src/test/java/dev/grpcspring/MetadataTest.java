package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataTest {
  private static final Metadata.Key<String> ASCII =
      Metadata.Key.of("X-Custom", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> BIN =
      Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Test
  void namesAreLowercasedAndValidated() {
    assertThat(ASCII.name()).isEqualTo("x-custom");
    assertThatThrownBy(() -> Metadata.Key.of("bad name", Metadata.ASCII_STRING_MARSHALLER))
        .hasMessageContaining("illegal character ' '");
    assertThatThrownBy(() -> Metadata.Key.of("", Metadata.ASCII_STRING_MARSHALLER))
        .hasMessageContaining("empty");
  }

  @Test
  void binarySuffixMustMatchMarshaller() {
    assertThatThrownBy(() -> Metadata.Key.of("x-bin", Metadata.ASCII_STRING_MARSHALLER))
        .hasMessageContaining("BinaryMarshaller");
    assertThatThrownBy(() -> Metadata.Key.of("x-data", Metadata.BINARY_BYTE_MARSHALLER))
        .hasMessageContaining("must end in -bin");
  }

  @Test
  void valuesKeepOrderAndGetReturnsLast() {
    Metadata md = new Metadata();
    md.put(ASCII, "one");
    md.put(BIN, new byte[] {1, 2});
    md.put(ASCII, "two");

    assertThat(md.getAll(ASCII)).containsExactly("one", "two");
    assertThat(md.get(ASCII)).isEqualTo("two");
    assertThat(md.get(BIN)).containsExactly(1, 2);
    assertThat(md.keys()).containsExactly("x-custom", "x-data-bin");
    assertThat(md.size()).isEqualTo(3);
  }

  @Test
  void removeAndDiscard() {
    Metadata md = new Metadata();
    md.put(ASCII, "a");
    md.put(ASCII, "b");
    md.put(BIN, new byte[] {9});

    assertThat(md.remove(ASCII, "a")).isTrue();
    assertThat(md.remove(ASCII, "zzz")).isFalse();
    assertThat(md.getAll(ASCII)).containsExactly("b");
    assertThat(md.removeAll(ASCII)).containsExactly("b");
    assertThat(md.containsKey(ASCII)).isFalse();
    md.discardAll(BIN);
    assertThat(md.isEmpty()).isTrue();
  }

  @Test
  void mergeAndRawAccess() {
    Metadata a = new Metadata();
    a.put(ASCII, "x");
    Metadata b = new Metadata();
    b.putBinary("k-bin", "hi".getBytes(StandardCharsets.UTF_8));
    b.putAscii("plain", "v");
    a.merge(b);

    assertThat(a.size()).isEqualTo(3);
    assertThat(a.name(1)).isEqualTo("k-bin");
    assertThat((byte[]) a.rawValue(1)).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    assertThat(a.rawValue(2)).isEqualTo("v");
    assertThatThrownBy(() -> a.putAscii("k-bin", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.putBinary("plain", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void growsPastInitialCapacity() {
    Metadata md = new Metadata();
    for (int i = 0; i < 100; i++) {
      md.putAscii("k" + i, "v" + i);
    }
    assertThat(md.size()).isEqualTo(100);
    assertThat(md.name(99)).isEqualTo("k99");
  }
}
