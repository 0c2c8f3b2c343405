package dev.grpcspring.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CompressorTest {
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip", "deflate"})
  void roundTrips(String name) {
    Compressor c = CompressorRegistry.getDefaultInstance().lookup(name);
    byte[] data = "hello hello hello hello gRPC".repeat(500).getBytes(StandardCharsets.UTF_8);
    ByteBuf in = alloc.buffer().writeBytes(data);
    ByteBuf compressed = alloc.buffer();
    ByteBuf out = null;
    try {
      c.compress(in, compressed);
      assertThat(in.readableBytes()).isEqualTo(data.length);
      if (!name.equals("identity")) {
        assertThat(compressed.readableBytes()).isLessThan(data.length / 10);
      }
      out = c.decompress(compressed, alloc, data.length);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(data);
    } finally {
      in.release();
      compressed.release();
      if (out != null) {
        out.release();
      }
    }
  }

  @Test
  void gzipAndDeflateReadWhatTheJdkStreamsWrite() throws Exception {
    byte[] data = "interop".repeat(100).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream os = new GZIPOutputStream(gz)) {
      os.write(data);
    }
    ByteArrayOutputStream zl = new ByteArrayOutputStream();
    try (DeflaterOutputStream os = new DeflaterOutputStream(zl)) {
      os.write(data);
    }
    assertThat(decompress(Compressor.GZIP, gz.toByteArray(), 1 << 20)).isEqualTo(data);
    assertThat(decompress(Compressor.DEFLATE, zl.toByteArray(), 1 << 20)).isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip", "deflate"})
  void decompressionIsBoundedByTheLimit(String name) {
    Compressor c = CompressorRegistry.getDefaultInstance().lookup(name);
    ByteBuf in = alloc.buffer().writeZero(100_000);
    ByteBuf compressed = alloc.buffer();
    try {
      c.compress(in, compressed);
      assertThatThrownBy(() -> c.decompress(compressed, alloc, 99_999))
          .isInstanceOf(StatusException.class)
          .satisfies(e -> assertThat(((StatusException) e).getStatus().getCode())
              .isEqualTo(Code.RESOURCE_EXHAUSTED));
      ByteBuf exact = c.decompress(compressed, alloc, 100_000);
      assertThat(exact.readableBytes()).isEqualTo(100_000);
      exact.release();
    } finally {
      in.release();
      compressed.release();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate"})
  void corruptInputIsInternal(String name) {
    Compressor c = CompressorRegistry.getDefaultInstance().lookup(name);
    assertThatThrownBy(() -> decompress(c, "not compressed at all".getBytes(StandardCharsets.UTF_8), 1000))
        .isInstanceOf(StatusException.class)
        .satisfies(e -> assertThat(((StatusException) e).getStatus().getCode()).isEqualTo(Code.INTERNAL));
    // Truncated stream.
    ByteBuf in = alloc.buffer().writeBytes("abcdefgh".repeat(100).getBytes(StandardCharsets.UTF_8));
    ByteBuf compressed = alloc.buffer();
    c.compress(in, compressed);
    byte[] cut = ByteBufUtil.getBytes(compressed, 0, compressed.readableBytes() - 4);
    in.release();
    compressed.release();
    assertThatThrownBy(() -> decompress(c, cut, 10_000))
        .isInstanceOf(StatusException.class)
        .satisfies(e -> assertThat(((StatusException) e).getStatus().getCode()).isEqualTo(Code.INTERNAL));
  }

  @Test
  void registryLooksUpAndAdvertises() {
    CompressorRegistry r = CompressorRegistry.getDefaultInstance();
    assertThat(r.lookup("gzip")).isSameAs(Compressor.GZIP);
    assertThat(r.lookup("identity")).isSameAs(Compressor.IDENTITY);
    assertThat(r.lookup("snappy")).isNull();
    assertThat(r.acceptEncoding()).isEqualTo("gzip,deflate");
    assertThat(CompressorRegistry.newBuilder().build().acceptEncoding()).isEmpty();
    assertThat(CompressorRegistry.isAccepted("deflate, gzip", "gzip")).isTrue();
    assertThat(CompressorRegistry.isAccepted("deflate", "gzip")).isFalse();
    assertThat(CompressorRegistry.isAccepted(null, "gzip")).isFalse();
    assertThat(CompressorRegistry.isAccepted(null, "identity")).isTrue();
    assertThatThrownBy(() -> CompressorRegistry.newBuilder().register(new NamedCompressor("a,b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private byte[] decompress(Compressor c, byte[] data, int max) {
    ByteBuf in = alloc.buffer().writeBytes(data);
    try {
      ByteBuf out = c.decompress(in, alloc, max);
      try {
        return ByteBufUtil.getBytes(out);
      } finally {
        out.release();
      }
    } finally {
      in.release();
    }
  }

  private record NamedCompressor(String name) implements Compressor {
    @Override
    public void compress(ByteBuf in, ByteBuf out) {
      Compressor.IDENTITY.compress(in, out);
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxOutputSize) {
      return Compressor.IDENTITY.decompress(in, alloc, maxOutputSize);
    }
  }
}
