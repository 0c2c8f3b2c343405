package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.Marshaller;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.codec.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageFramingTest {
  private static final Marshaller<String> STRINGS = new Marshaller<>() {
    @Override
    public int serializedSize(String value) {
      return value.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void serialize(String value, ByteBuf out) {
      out.writeCharSequence(value, StandardCharsets.UTF_8);
    }

    @Override
    public String parse(ByteBuf in) {
      return in.toString(StandardCharsets.UTF_8);
    }
  };

  /** Size unknown up front, as a streaming marshaller would say. */
  private static final Marshaller<String> UNSIZED = new Marshaller<>() {
    @Override
    public int serializedSize(String value) {
      return -1;
    }

    @Override
    public void serialize(String value, ByteBuf out) {
      STRINGS.serialize(value, out);
    }

    @Override
    public String parse(ByteBuf in) {
      return STRINGS.parse(in);
    }
  };

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final Recorder rec = new Recorder();

  @AfterEach
  void releaseAll() {
    rec.messages.forEach(ByteBuf::release);
  }

  @Test
  void framesWithPrefixIntoDirectBuffer() {
    MessageFramer f = new MessageFramer(alloc, 100);
    ByteBuf b = f.frame("hello", STRINGS);
    try {
      assertThat(b.isDirect()).isTrue();
      assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0000000005" + ByteBufUtil.hexDump("hello".getBytes()));
    } finally {
      b.release();
    }
    ByteBuf u = f.frame("abc", UNSIZED);
    try {
      assertThat(u.getInt(1)).isEqualTo(3);
    } finally {
      u.release();
    }
  }

  @Test
  void plainFramesLeaveTheHeadroomAskedForBeforeThePrefixAndCompressedOnesNone() {
    MessageFramer f = new MessageFramer(alloc, 100, 9);
    for (Marshaller<String> m : List.of(STRINGS, UNSIZED)) {
      ByteBuf b = f.frame("hello", m);
      try {
        assertThat(b.readerIndex()).isEqualTo(9);
        assertThat(b.capacity()).isGreaterThanOrEqualTo(9 + 5 + 5);
        assertThat(ByteBufUtil.hexDump(b))
            .isEqualTo("0000000005" + ByteBufUtil.hexDump("hello".getBytes()));
      } finally {
        b.release();
      }
    }
    f.setCompressor(Compressor.GZIP);
    ByteBuf c = f.frame("hello", STRINGS);
    try {
      assertThat(c.readerIndex()).isZero();
      assertThat(c.getByte(0)).isEqualTo((byte) 1);
    } finally {
      c.release();
    }
  }

  @Test
  void aMessageLargerThanOnePooledBufferIsFramedInPooledPieces() {
    MessageFramer f = new MessageFramer(alloc, Integer.MAX_VALUE);
    String big = "x".repeat(MessageFramer.MAX_BUFFER + 12345);
    ByteBuf b = f.frame(big, STRINGS);
    try {
      assertThat(b).isInstanceOf(io.netty.buffer.CompositeByteBuf.class);
      io.netty.buffer.CompositeByteBuf c = (io.netty.buffer.CompositeByteBuf) b;
      for (int i = 0; i < c.numComponents(); i++) {
        assertThat(c.internalComponent(i).capacity()).isLessThanOrEqualTo(MessageFramer.PIECE);
      }
      assertThat(b.readableBytes()).isEqualTo(MessageFramer.HEADER_LENGTH + big.length());
      assertThat(b.getByte(0)).isZero();
      assertThat(b.getInt(1)).isEqualTo(big.length());
      assertThat(b.toString(MessageFramer.HEADER_LENGTH, big.length(), StandardCharsets.UTF_8))
          .isEqualTo(big);
    } finally {
      b.release();
    }
  }

  @Test
  void aLargeMessageThatIsNotTheAnnouncedSizeIsInternalAndReleasesItsPieces() {
    Marshaller<String> lying = new Marshaller<>() {
      @Override
      public int serializedSize(String value) {
        return MessageFramer.MAX_BUFFER + 10;
      }

      @Override
      public void serialize(String value, ByteBuf out) {
        STRINGS.serialize(value, out);
      }

      @Override
      public String parse(ByteBuf in) {
        return STRINGS.parse(in);
      }
    };
    MessageFramer f = new MessageFramer(alloc, Integer.MAX_VALUE);
    assertThatThrownBy(() -> f.frame("short", lying))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.INTERNAL);
          assertThat(e.getMessage()).contains("wrote 5 bytes but announced");
        });
  }

  @Test
  void outboundLimitIsResourceExhausted() {
    MessageFramer f = new MessageFramer(alloc, 4);
    assertThatThrownBy(() -> f.frame("hello", STRINGS)).isInstanceOf(StatusException.class)
        .hasMessageContaining("RESOURCE_EXHAUSTED").hasMessageContaining("(5 vs. 4)");
    assertThatThrownBy(() -> f.frame("hello", UNSIZED)).isInstanceOf(StatusException.class)
        .hasMessageContaining("RESOURCE_EXHAUSTED");
  }

  @Test
  void reassemblesAcrossArbitraryFrameBoundaries() {
    MessageFramer f = new MessageFramer(alloc, 1 << 20);
    ByteBuf all = Unpooled.buffer();
    List<String> sent = List.of("", "a", "second message", "x".repeat(70_000), "last");
    // Small chunks split prefixes and payloads everywhere; big ones compose large messages.
    for (String s : sent) {
      ByteBuf b = f.frame(s, STRINGS);
      all.writeBytes(b);
      b.release();
    }
    byte[] bytes = ByteBufUtil.getBytes(all);
    for (int chunk : new int[] {1, 3, 5, 7, 1000, 16384}) {
      MessageDeframer d = new MessageDeframer(rec, alloc, 1 << 20);
      d.request(100);
      for (int i = 0; i < bytes.length; ) {
        // Keep the leak detector's work bounded: tiny chunks only around the small messages.
        int step = i > 40 && i < bytes.length - 40 ? Math.max(chunk, 997) : chunk;
        int n = Math.min(step, bytes.length - i);
        d.deframe(alloc.buffer(n).writeBytes(bytes, i, n), i + n == bytes.length);
        i += n;
      }
      assertThat(rec.strings()).containsExactlyElementsOf(sent);
      assertThat(rec.ended).isTrue();
      assertThat(rec.bytesRead).isEqualTo(bytes.length);
      rec.reset();
    }
  }

  @Test
  void deliversOnlyOnDemand() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 100);
    MessageFramer f = new MessageFramer(alloc, 100);
    ByteBuf two = alloc.buffer();
    for (String s : List.of("one", "two")) {
      ByteBuf b = f.frame(s, STRINGS);
      two.writeBytes(b);
      b.release();
    }
    d.deframe(two, true);
    assertThat(rec.messages).isEmpty();
    assertThat(rec.bytesRead).isZero();
    d.request(1);
    assertThat(rec.strings()).containsExactly("one");
    assertThat(rec.bytesRead).isEqualTo(8);
    assertThat(rec.ended).isFalse();
    d.request(5);
    assertThat(rec.strings()).containsExactly("one", "two");
    assertThat(rec.ended).isTrue();
  }

  @Test
  void creditForAMessageInProgressIsReturnedOnlyWhenItIsWanted() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 1000);
    d.deframe(alloc.buffer().writeByte(0).writeInt(100).writeZero(40), false);
    assertThat(rec.bytesRead).isZero();
    d.request(1);
    // Waiting for a message larger than what has arrived: its bytes so far go back at once.
    assertThat(rec.bytesRead).isEqualTo(45);
    d.deframe(alloc.buffer().writeZero(30), false);
    assertThat(rec.bytesRead).isEqualTo(75);
    d.deframe(alloc.buffer().writeZero(30).writeByte(0), false);
    assertThat(rec.messages).hasSize(1);
    assertThat(rec.bytesRead).isEqualTo(105);
    d.close();
  }

  @Test
  void compressedMessagesRoundTrip() {
    MessageFramer f = new MessageFramer(alloc, 1 << 20);
    f.setCompressor(Compressor.GZIP);
    String big = "compress me ".repeat(1000);
    ByteBuf b = f.frame(big, STRINGS);
    assertThat(b.getByte(0)).isEqualTo((byte) 1);
    assertThat(b.readableBytes()).isLessThan(1000);
    f.setMessageCompression(false);
    ByteBuf plain = f.frame("plain", STRINGS);
    assertThat(plain.getByte(0)).isEqualTo((byte) 0);
    MessageDeframer d = new MessageDeframer(rec, alloc, 1 << 20);
    d.setDecompressor(Compressor.GZIP);
    d.request(2);
    d.deframe(b, false);
    d.deframe(plain, true);
    assertThat(rec.strings()).containsExactly(big, "plain");
  }

  @Test
  void sizeLimitIsCheckedOnThePrefixBeforeThePayloadArrives() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 10);
    // Only the prefix of a 1 GiB message: no demand yet, and still refused at once.
    d.deframe(alloc.buffer().writeByte(0).writeInt(1 << 30), false);
    assertThat(rec.failure.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
    assertThat(rec.failure.getDescription()).contains("larger than max (1073741824 vs. 10)");
    assertThat(d.isClosed()).isTrue();
    // Later bytes are dropped and handed back to flow control.
    d.deframe(alloc.buffer().writeZero(7), false);
    assertThat(rec.bytesRead).isEqualTo(7);
  }

  @Test
  void decompressedSizeIsBounded() {
    MessageFramer f = new MessageFramer(alloc, 1 << 20);
    f.setCompressor(Compressor.DEFLATE);
    ByteBuf b = f.frame("z".repeat(5000), STRINGS);
    MessageDeframer d = new MessageDeframer(rec, alloc, 1000);
    d.setDecompressor(Compressor.DEFLATE);
    d.request(1);
    d.deframe(b, true);
    assertThat(rec.failure.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void compressedFlagWithoutEncodingIsInternal() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 100);
    d.deframe(alloc.buffer().writeByte(1).writeInt(1).writeByte('x'), true);
    assertThat(rec.failure.getCode()).isEqualTo(Code.INTERNAL);
    assertThat(rec.failure.getDescription()).contains("grpc-encoding");
  }

  @Test
  void reservedFlagBitsAreInternal() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 100);
    d.deframe(alloc.buffer().writeByte(4).writeInt(0), false);
    assertThat(rec.failure.getCode()).isEqualTo(Code.INTERNAL);
  }

  @Test
  void messageCutShortAtEndOfStreamIsInternalEvenWithoutDemand() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 100);
    d.deframe(alloc.buffer().writeByte(0).writeInt(10).writeBytes(new byte[4]), true);
    assertThat(rec.failure.getCode()).isEqualTo(Code.INTERNAL);
    assertThat(rec.failure.getDescription()).contains("end-of-stream");

    Recorder r2 = new Recorder();
    MessageDeframer d2 = new MessageDeframer(r2, alloc, 100);
    d2.request(1);
    d2.deframe(alloc.buffer().writeByte(0).writeShort(0), true);
    assertThat(r2.failure.getCode()).isEqualTo(Code.INTERNAL);
  }

  @Test
  void closeReleasesBufferedBytes() {
    MessageDeframer d = new MessageDeframer(rec, alloc, 100);
    ByteBuf data = alloc.buffer().writeByte(0).writeInt(3).writeBytes(new byte[] {1, 2});
    d.deframe(data, false);
    d.close();
    assertThat(data.refCnt()).isZero();
    assertThat(rec.failure).isNull();
  }

  @Test
  void reentrantRequestFromTheListenerKeepsOrder() {
    List<String> got = new ArrayList<>();
    MessageDeframer[] holder = new MessageDeframer[1];
    MessageDeframer d = new MessageDeframer(new Recorder() {
      @Override
      public void messageRead(ByteBuf message) {
        got.add(message.toString(StandardCharsets.UTF_8));
        message.release();
        holder[0].request(1);
      }
    }, alloc, 100);
    holder[0] = d;
    MessageFramer f = new MessageFramer(alloc, 100);
    ByteBuf all = alloc.buffer();
    for (String s : List.of("a", "b", "c")) {
      ByteBuf b = f.frame(s, STRINGS);
      all.writeBytes(b);
      b.release();
    }
    d.deframe(all, true);
    d.request(1);
    assertThat(got).containsExactly("a", "b", "c");
  }

  static class Recorder implements MessageDeframer.Listener {
    final List<ByteBuf> messages = new ArrayList<>();
    int bytesRead;
    boolean ended;
    Status failure;

    @Override
    public void messageRead(ByteBuf message) {
      messages.add(message);
    }

    @Override
    public void bytesRead(int numBytes) {
      bytesRead += numBytes;
    }

    @Override
    public void endOfStream() {
      ended = true;
    }

    @Override
    public void deframeFailed(Status status) {
      failure = status;
    }

    List<String> strings() {
      List<String> out = new ArrayList<>();
      for (ByteBuf m : messages) {
        out.add(m.toString(StandardCharsets.UTF_8));
      }
      return out;
    }

    void reset() {
      messages.forEach(ByteBuf::release);
      messages.clear();
      bytesRead = 0;
      ended = false;
      failure = null;
    }
  }
}
