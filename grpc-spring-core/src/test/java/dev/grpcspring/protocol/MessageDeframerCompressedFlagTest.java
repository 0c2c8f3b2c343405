package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Marshaller;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deframer tells its listener, message by message, whether each one arrived compressed. */
class MessageDeframerCompressedFlagTest {
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

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

  @Test
  void eachMessageCarriesItsOwnCompressedFlag() {
    List<String> got = new ArrayList<>();
    MessageDeframer deframer = new MessageDeframer(new MessageDeframer.Listener() {
      @Override
      public void messageRead(ByteBuf message) {
        throw new AssertionError("the deframer must call messageRead(message, compressed)");
      }

      @Override
      public void messageRead(ByteBuf message, boolean compressed) {
        got.add(message.toString(StandardCharsets.UTF_8) + (compressed ? ":gzip" : ":plain"));
        message.release();
      }

      @Override
      public void bytesRead(int numBytes) {}

      @Override
      public void endOfStream() {}

      @Override
      public void deframeFailed(Status status) {
        throw new AssertionError("deframing failed: " + status);
      }
    }, alloc, 1024);
    deframer.setDecompressor(Compressor.GZIP);
    deframer.request(3);

    MessageFramer framer = new MessageFramer(alloc, 1024);
    framer.setCompressor(Compressor.GZIP);
    ByteBuf all = alloc.buffer();
    for (boolean compress : new boolean[] {true, false, true}) {
      framer.setMessageCompression(compress);
      ByteBuf frame = framer.frame(compress ? "zipped" : "plain", STRINGS);
      all.writeBytes(frame);
      frame.release();
    }
    deframer.deframe(all, true);

    assertThat(got).containsExactly("zipped:gzip", "plain:plain", "zipped:gzip");
  }
}
