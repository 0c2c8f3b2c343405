package dev.grpcspring;

import io.netty.buffer.ByteBuf;

/**
 * Turns messages of one type into bytes and back. Writing goes straight into the pooled buffer that
 * becomes the DATA frame, so no intermediate {@code byte[]} is made.
 *
 * @param <T> the message type
 */
public interface Marshaller<T> {
  /**
   * The exact number of bytes {@link #serialize} will write, or {@code -1} if that is not known in
   * advance.
   */
  int serializedSize(T value);

  /** Writes {@code value} into {@code out}, growing it as needed. */
  void serialize(T value, ByteBuf out);

  /**
   * Reads one message from every readable byte of {@code in}. Does not release {@code in}.
   *
   * @throws StatusException (INTERNAL, saying what is wrong) when the bytes are not a valid message
   */
  T parse(ByteBuf in);
}
