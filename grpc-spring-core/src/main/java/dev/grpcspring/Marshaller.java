package dev.grpcspring;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns messages of one type into bytes and back. Writing goes straight into the pooled buffer that
 * becomes the DATA frame, so no intermediate {@code byte[]} is made.
 *
 * @param <T> the message type
 */
public interface Marshaller<T> {
  /**
   * The exact number of bytes {@link #serialize(Object, ByteBuf)} will write, or {@code -1} if that is not known in
   * advance.
   */
  int serializedSize(T value);

  /** Writes {@code value} into {@code out}, growing it as needed. */
  void serialize(T value, ByteBuf out);

  /**
   * Writes {@code value} to {@code out}: how messages too large for one pooled buffer are written,
   * in pieces. The default serializes into a heap buffer and copies that; marshallers that can
   * stream should override it.
   *
   * @throws IOException when {@code out} fails
   */
  default void serialize(T value, OutputStream out) throws IOException {
    ByteBuf heap = Unpooled.buffer();
    try {
      serialize(value, heap);
      heap.readBytes(out, heap.readableBytes());
    } finally {
      heap.release();
    }
  }

  /**
   * Reads one message from every readable byte of {@code in}. Does not release {@code in}.
   *
   * @throws StatusException (INTERNAL, saying what is wrong) when the bytes are not a valid message
   */
  T parse(ByteBuf in);
}
