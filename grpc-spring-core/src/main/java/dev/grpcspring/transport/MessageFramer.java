package dev.grpcspring.transport;

import dev.grpcspring.Marshaller;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Turns messages into gRPC Length-Prefixed-Messages: a 1-byte compressed flag, a 4-byte big-endian
 * length, and the payload, written straight into one pooled buffer by the {@link Marshaller}. Runs
 * on the thread that sends (not the event loop), so serialization costs the application thread. Not
 * thread-safe: one per stream, used by one sender at a time.
 */
public final class MessageFramer {
  /** Size of the Compressed-Flag and Message-Length prefix. */
  public static final int HEADER_LENGTH = 5;

  private final ByteBufAllocator alloc;
  private final int maxOutboundMessageSize;
  private Compressor compressor = Compressor.IDENTITY;
  private boolean messageCompression = true;

  /**
   * @param alloc where frame buffers come from (the channel's pooled allocator)
   * @param maxOutboundMessageSize the largest payload (after compression) this side may send
   */
  public MessageFramer(ByteBufAllocator alloc, int maxOutboundMessageSize) {
    this.alloc = alloc;
    this.maxOutboundMessageSize = maxOutboundMessageSize;
  }

  /** The codec for following messages; identity turns compression off. */
  public void setCompressor(Compressor compressor) {
    this.compressor = compressor == null ? Compressor.IDENTITY : compressor;
  }

  public Compressor getCompressor() {
    return compressor;
  }

  /** Whether following messages are compressed when a non-identity compressor is set. */
  public void setMessageCompression(boolean enabled) {
    this.messageCompression = enabled;
  }

  /**
   * Frames one message. The caller owns the returned buffer.
   *
   * @throws dev.grpcspring.StatusException RESOURCE_EXHAUSTED when the payload is larger than the
   *     outbound limit; INTERNAL if serialization or compression fails
   */
  public <T> ByteBuf frame(T message, Marshaller<T> marshaller) {
    boolean compress = messageCompression && compressor != Compressor.IDENTITY;
    return compress ? frameCompressed(message, marshaller) : framePlain(message, marshaller);
  }

  private <T> ByteBuf framePlain(T message, Marshaller<T> marshaller) {
    int known = marshaller.serializedSize(message);
    if (known > maxOutboundMessageSize) {
      throw tooLarge(known);
    }
    ByteBuf buf = alloc.directBuffer(known >= 0 ? HEADER_LENGTH + known : 256);
    boolean ok = false;
    try {
      buf.writeByte(0).writeInt(0);
      marshaller.serialize(message, buf);
      int length = buf.readableBytes() - HEADER_LENGTH;
      if (length > maxOutboundMessageSize) {
        throw tooLarge(length);
      }
      buf.setInt(1, length);
      ok = true;
      return buf;
    } finally {
      if (!ok) {
        buf.release();
      }
    }
  }

  private <T> ByteBuf frameCompressed(T message, Marshaller<T> marshaller) {
    int known = marshaller.serializedSize(message);
    ByteBuf plain = alloc.buffer(known >= 0 ? Math.max(known, 1) : 256);
    ByteBuf buf = null;
    boolean ok = false;
    try {
      marshaller.serialize(message, plain);
      buf = alloc.directBuffer(HEADER_LENGTH + Math.max(64, plain.readableBytes() / 2));
      buf.writeByte(1).writeInt(0);
      compressor.compress(plain, buf);
      int length = buf.readableBytes() - HEADER_LENGTH;
      if (length > maxOutboundMessageSize) {
        throw tooLarge(length);
      }
      buf.setInt(1, length);
      ok = true;
      return buf;
    } finally {
      plain.release();
      if (!ok && buf != null) {
        buf.release();
      }
    }
  }

  private RuntimeException tooLarge(int size) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription("Sent message larger than max (" + size + " vs. "
            + maxOutboundMessageSize + ")")
        .asException();
  }
}
