package dev.grpcspring.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class ProtoMarshallerTest {
  private static final ProtoMarshaller<BytesValue> MARSHALLER =
      ProtoMarshaller.of(BytesValue.getDefaultInstance());

  /** Serializes {@code value} and splits it across many components, as DATA frames arrive. */
  private static CompositeByteBuf fragmented(BytesValue value) {
    ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer();
    MARSHALLER.serialize(value, whole);
    CompositeByteBuf composite = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(1024);
    while (whole.isReadable()) {
      composite.addComponent(true, whole.readRetainedSlice(Math.min(16 * 1024, whole.readableBytes())));
    }
    whole.release();
    return composite;
  }

  private static BytesValue payload(int size, int seed) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return BytesValue.newBuilder().setValue(ByteString.copyFrom(bytes)).build();
  }

  @Test
  void compositeMessagesParseCorrectlyWhileTheScratchArrayIsReused() {
    BytesValue first = payload(300_000, 1);
    BytesValue second = payload(200_000, 2);
    CompositeByteBuf a = fragmented(first);
    CompositeByteBuf b = fragmented(second);
    try {
      assertThat(a.nioBufferCount()).isGreaterThan(1);
      BytesValue parsedFirst = MARSHALLER.parse(a);
      BytesValue parsedSecond = MARSHALLER.parse(b);
      // The second parse reused the array the first was read from; the first must not change.
      assertThat(parsedFirst).isEqualTo(first);
      assertThat(parsedSecond).isEqualTo(second);
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void scratchIsReusedUpToTheLimitAndFreshBeyondIt() {
    byte[] one = ProtoMarshaller.scratch(1000);
    assertThat(ProtoMarshaller.scratch(500)).isSameAs(one);
    byte[] big = ProtoMarshaller.scratch(ProtoMarshaller.MAX_SCRATCH_BYTES + 1);
    assertThat(big).isNotSameAs(ProtoMarshaller.scratch(ProtoMarshaller.MAX_SCRATCH_BYTES + 1));
  }
}
