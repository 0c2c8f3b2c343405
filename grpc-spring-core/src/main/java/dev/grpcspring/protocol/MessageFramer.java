package dev.grpcspring.protocol;

import dev.grpcspring.Marshaller;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Turns messages into gRPC Length-Prefixed-Messages: a 1-byte compressed flag, a 4-byte big-endian
 * length, and the payload, written straight into one pooled buffer by the {@link Marshaller} (into
 * pooled pieces of a composite buffer above {@link #MAX_BUFFER}). Runs
 * on the thread that sends (not the event loop), so serialization costs the application thread. Not
 * thread-safe: one per stream, used by one sender at a time.
 */
public final class MessageFramer {
  /** Size of the Compressed-Flag and Message-Length prefix. */
  public static final int HEADER_LENGTH = 5;
  /**
   * The largest single buffer a framed message gets. Netty's pooling allocators keep buffers up to
   * 1 MiB; a larger one is a fresh, zeroed allocation from the OS each time, so larger messages are
   * written into a composite of pieces of {@link #PIECE} bytes.
   */
  static final int MAX_BUFFER = 1024 * 1024;
  static final int PIECE = 256 * 1024;

  private final ByteBufAllocator alloc;
  private final int maxOutboundMessageSize;
  private final int headroom;
  private Compressor compressor = Compressor.IDENTITY;
  private boolean messageCompression = true;

  /**
   * @param alloc where frame buffers come from (the channel's pooled allocator)
   * @param maxOutboundMessageSize the largest payload (after compression) this side may send
   */
  public MessageFramer(ByteBufAllocator alloc, int maxOutboundMessageSize) {
    this(alloc, maxOutboundMessageSize, 0);
  }

  /**
   * @param headroom bytes to leave free before each uncompressed frame, for the transport's frame
   *     header (see {@link #framePlain(ByteBufAllocator, Object, Marshaller, int, int)})
   */
  public MessageFramer(ByteBufAllocator alloc, int maxOutboundMessageSize, int headroom) {
    this.alloc = alloc;
    this.maxOutboundMessageSize = maxOutboundMessageSize;
    this.headroom = headroom;
  }

  /** The codec for following messages; identity turns compression off. */
  public void setCompressor(@Nullable Compressor compressor) {
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
    return compress ? frameCompressed(message, marshaller)
        : framePlain(alloc, message, marshaller, maxOutboundMessageSize, headroom);
  }

  /**
   * Frames one message uncompressed, as a framer without a compressor does; for a caller that has
   * no compression to set and so needs no framer of its own (most server calls). The caller owns
   * the returned buffer.
   *
   * @throws dev.grpcspring.StatusException as {@link #frame} does
   */
  public static <T> ByteBuf framePlain(ByteBufAllocator alloc, T message, Marshaller<T> marshaller,
      int maxOutboundMessageSize) {
    return framePlain(alloc, message, marshaller, maxOutboundMessageSize, 0);
  }

  /**
   * As {@link #framePlain(ByteBufAllocator, Object, Marshaller, int)}, leaving {@code headroom}
   * bytes free before the frame in the same buffer (its reader index), for a transport to write
   * its own frame header into instead of a buffer of its own. Messages large enough to be framed
   * in pieces get none.
   */
  public static <T> ByteBuf framePlain(ByteBufAllocator alloc, T message, Marshaller<T> marshaller,
      int maxOutboundMessageSize, int headroom) {
    int known = marshaller.serializedSize(message);
    if (known > maxOutboundMessageSize) {
      throw tooLarge(known, maxOutboundMessageSize);
    }
    if (known >= 0 && HEADER_LENGTH + known > MAX_BUFFER) {
      return frameInPieces(alloc, message, marshaller, known);
    }
    ByteBuf buf = alloc.directBuffer(headroom + (known >= 0 ? HEADER_LENGTH + known : 256));
    boolean ok = false;
    try {
      buf.writerIndex(headroom).readerIndex(headroom);
      buf.writeByte(0).writeInt(0);
      marshaller.serialize(message, buf);
      int length = buf.readableBytes() - HEADER_LENGTH;
      if (length > maxOutboundMessageSize) {
        throw tooLarge(length, maxOutboundMessageSize);
      }
      buf.setInt(headroom + 1, length);
      ok = true;
      return buf;
    } finally {
      if (!ok) {
        buf.release();
      }
    }
  }

  private static <T> ByteBuf frameInPieces(ByteBufAllocator alloc, T message,
      Marshaller<T> marshaller, int size) {
    CompositeByteBuf out = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
    PieceWriter writer = new PieceWriter(alloc, out, HEADER_LENGTH + size);
    boolean ok = false;
    try {
      writer.write(new byte[] {0, (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8),
          (byte) size});
      marshaller.serialize(message, writer);
      writer.finish();
      if (out.readableBytes() != HEADER_LENGTH + size) {
        throw Status.INTERNAL.withDescription("The marshaller wrote " + (out.readableBytes()
            - HEADER_LENGTH) + " bytes but announced " + size).asException();
      }
      ok = true;
      return out;
    } catch (IOException e) {
      throw Status.INTERNAL.withDescription("Failed to serialize a message: " + e).withCause(e)
          .asException();
    } finally {
      if (!ok) {
        writer.discard();
        out.release();
      }
    }
  }

  /** Fills pooled pieces and adds each to the composite once it is full. */
  private static final class PieceWriter extends OutputStream {
    private final ByteBufAllocator alloc;
    private final CompositeByteBuf out;
    private int expected;
    private @Nullable ByteBuf piece;

    PieceWriter(ByteBufAllocator alloc, CompositeByteBuf out, int expected) {
      this.alloc = alloc;
      this.out = out;
      this.expected = expected;
    }

    @Override
    public void write(int b) {
      next().writeByte(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        ByteBuf p = next();
        int n = Math.min(len, p.writableBytes());
        p.writeBytes(b, off, n);
        off += n;
        len -= n;
      }
    }

    /** The piece to write into: the current one while it has room, else a new one. */
    private ByteBuf next() {
      ByteBuf p = piece;
      if (p != null && p.isWritable()) {
        return p;
      }
      finish();
      // More than announced still gets written, so the size check can report it.
      int size = Math.max(Math.min(PIECE, expected), 4096);
      expected -= Math.min(size, expected);
      p = alloc.directBuffer(size, size);
      piece = p;
      return p;
    }

    void finish() {
      if (piece != null) {
        out.addComponent(true, piece);
        piece = null;
      }
    }

    void discard() {
      if (piece != null) {
        piece.release();
        piece = null;
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
        throw tooLarge(length, maxOutboundMessageSize);
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

  private static RuntimeException tooLarge(int size, int maxOutboundMessageSize) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription("Sent message larger than max (" + size + " vs. "
            + maxOutboundMessageSize + ")")
        .asException();
  }
}
