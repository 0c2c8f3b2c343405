package dev.grpcspring.protocol;

import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.codec.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reassembles Length-Prefixed-Messages from DATA frames whose boundaries have nothing to do with
 * message boundaries, and hands complete messages out only as the application asks for them
 * ({@link #request}), so that flow-control credit goes back to the peer only for consumed bytes.
 *
 * <p>The size limit is checked on the 5-byte prefix, before any of the payload is buffered beyond
 * what already arrived. Confined to the channel's event loop; not thread-safe.
 */
public final class MessageDeframer {
  /** Receives what the deframer produces. Called on the event loop. */
  public interface Listener {
    /** A complete (decompressed) message; the listener owns and must release the buffer. */
    void messageRead(ByteBuf message);

    /**
     * Like {@link #messageRead(ByteBuf)}, also telling whether the message arrived compressed (its
     * compressed flag was set). The deframer calls this one; listeners that care override it.
     */
    default void messageRead(ByteBuf message, boolean compressed) {
      messageRead(message);
    }

    /** That many received bytes were consumed (prefix and payload): return them to flow control. */
    void bytesRead(int numBytes);

    /** The peer half-closed and every message has been delivered. */
    void endOfStream();

    /** The stream is broken; the deframer has closed itself and sends nothing more. */
    void deframeFailed(Status status);
  }

  private static final int FLAG_COMPRESSED = 1;

  private final Listener listener;
  private final ByteBufAllocator alloc;
  private final int maxMessageSize;
  // The buffers received and not yet consumed, oldest first: the first in a field and the rest in
  // a deque made only when a second one waits (a stream's deque was ~70 of a unary call's bytes;
  // most streams never hold two buffers). Invariant: head is null only when rest is empty.
  private @Nullable ByteBuf head;
  private @Nullable ArrayDeque<ByteBuf> rest;
  private @Nullable Compressor decompressor;
  private int buffered;
  // The current message's prefix, once read: -1 before.
  private int messageLength = -1;
  private boolean compressed;
  // Bytes of the current message (prefix included) already reported through bytesRead.
  private int reportedOfCurrent;
  private int demand;
  private boolean endOfStream;
  private boolean closed;
  private boolean delivering;

  /**
   * @param maxMessageSize the largest message accepted, compressed or decompressed
   */
  public MessageDeframer(Listener listener, ByteBufAllocator alloc, int maxMessageSize) {
    this.listener = listener;
    this.alloc = alloc;
    this.maxMessageSize = maxMessageSize;
  }

  /**
   * The codec named by the peer's {@code grpc-encoding}; null or identity means none, and then a
   * message flagged compressed is an error.
   */
  public void setDecompressor(@Nullable Compressor decompressor) {
    this.decompressor = decompressor == Compressor.IDENTITY ? null : decompressor;
  }

  /** Asks for {@code n} more messages. */
  public void request(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("request(" + n + "): the count must be positive");
    }
    demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + n);
    deliver();
  }

  /**
   * Takes received bytes (and ownership of {@code data}). After the deframer has closed, the bytes
   * are released and reported consumed at once.
   */
  public void deframe(ByteBuf data, boolean endOfStream) {
    if (closed) {
      int n = data.readableBytes();
      data.release();
      if (n > 0) {
        listener.bytesRead(n);
      }
      return;
    }
    if (data.isReadable()) {
      add(data);
      buffered += data.readableBytes();
    } else {
      data.release();
    }
    if (endOfStream) {
      this.endOfStream = true;
    }
    deliver();
  }

  /** Whether the deframer has failed or been closed. */
  public boolean isClosed() {
    return closed;
  }

  /** Whether bytes of an undelivered message are held. */
  public boolean hasBufferedBytes() {
    return buffered > 0 || messageLength >= 0;
  }

  /** Releases everything held; no more callbacks. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ByteBuf b;
    while ((b = poll()) != null) {
      b.release();
    }
    buffered = 0;
  }

  private void deliver() {
    if (delivering) {
      return; // a listener asked for more from inside a callback; the loop below picks it up
    }
    delivering = true;
    try {
      while (!closed) {
        if (messageLength < 0) {
          if (buffered < MessageFramer.HEADER_LENGTH) {
            break;
          }
          if (!readPrefix()) {
            return;
          }
        }
        if (demand == 0) {
          break;
        }
        if (buffered < messageLength) {
          // The application is waiting for this message: give its bytes' credit back now, or a
          // message larger than the flow-control window could never arrive.
          reportProgress(MessageFramer.HEADER_LENGTH + buffered);
          break;
        }
        ByteBuf message = readPayload();
        if (message == null) {
          return;
        }
        demand--;
        reportProgress(MessageFramer.HEADER_LENGTH + messageLength);
        reportedOfCurrent = 0;
        messageLength = -1;
        listener.messageRead(message, compressed);
      }
      if (!closed && endOfStream) {
        if (messageLength < 0 && buffered == 0) {
          closed = true;
          listener.endOfStream();
        } else if (messageLength < 0 ? buffered < MessageFramer.HEADER_LENGTH
            : buffered < messageLength) {
          fail(Status.INTERNAL.withDescription(
              "Encountered end-of-stream mid-frame: the last message was cut short"));
        }
      }
    } finally {
      delivering = false;
    }
  }

  private void reportProgress(int consumedOfCurrent) {
    int n = consumedOfCurrent - reportedOfCurrent;
    if (n > 0) {
      reportedOfCurrent = consumedOfCurrent;
      listener.bytesRead(n);
    }
  }

  private boolean readPrefix() {
    int flags = readUnsignedByte();
    int length = (readUnsignedByte() << 24) | (readUnsignedByte() << 16)
        | (readUnsignedByte() << 8) | readUnsignedByte();
    if ((flags & ~FLAG_COMPRESSED) != 0) {
      fail(Status.INTERNAL.withDescription(
          "gRPC frame header malformed: reserved bits set in flags 0x" + Integer.toHexString(flags)));
      return false;
    }
    compressed = (flags & FLAG_COMPRESSED) != 0;
    if (compressed && decompressor == null) {
      fail(Status.INTERNAL.withDescription(
          "Compressed gRPC message received but grpc-encoding names no compression"));
      return false;
    }
    // A negative int here is a length of 2 GiB or more.
    if (length < 0 || length > maxMessageSize) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription(
          "gRPC message larger than max (" + Integer.toUnsignedString(length) + " vs. "
              + maxMessageSize + ")"));
      return false;
    }
    messageLength = length;
    return true;
  }

  private @Nullable ByteBuf readPayload() {
    ByteBuf payload = readBytes(messageLength);
    if (!compressed) {
      return payload;
    }
    // readPrefix refuses a compressed message while no decompressor is set.
    Compressor d =
        Objects.requireNonNull(decompressor, "compressed message without a decompressor");
    try {
      return d.decompress(payload, alloc, maxMessageSize);
    } catch (StatusException e) {
      fail(e.getStatus());
      return null;
    } finally {
      payload.release();
    }
  }

  private int readUnsignedByte() {
    ByteBuf first = peek();
    int b = first.readUnsignedByte();
    buffered--;
    if (!first.isReadable()) {
      removeFirst().release();
    }
    return b;
  }

  private ByteBuf readBytes(int len) {
    if (len == 0) {
      return Unpooled.EMPTY_BUFFER;
    }
    buffered -= len;
    ByteBuf first = peek();
    if (first.readableBytes() == len) {
      // The message is exactly what is left of this buffer (one message per DATA frame, the usual
      // case): hand over the buffer itself, which the deframer owns, instead of a slice of it.
      removeFirst();
      return first;
    }
    if (first.readableBytes() > len) {
      ByteBuf slice = first.readRetainedSlice(len);
      if (!first.isReadable()) {
        removeFirst().release();
      }
      return slice;
    }
    // Spans frames: compose retained slices instead of copying.
    CompositeByteBuf composite = alloc.compositeBuffer(Integer.MAX_VALUE);
    while (len > 0) {
      first = peek();
      int n = Math.min(len, first.readableBytes());
      composite.addComponent(true, first.readRetainedSlice(n));
      if (!first.isReadable()) {
        removeFirst().release();
      }
      len -= n;
    }
    return composite;
  }

  private void add(ByteBuf data) {
    if (head == null) {
      head = data;
      return;
    }
    ArrayDeque<ByteBuf> r = rest;
    if (r == null) {
      r = new ArrayDeque<>(4);
      rest = r;
    }
    r.add(data);
  }

  /** The oldest buffer; only called while bytes are buffered, so there is one. */
  private ByteBuf peek() {
    return Objects.requireNonNull(head, "no buffered bytes");
  }

  /** Removes the oldest buffer (there is one) and returns it. */
  private ByteBuf removeFirst() {
    return Objects.requireNonNull(poll(), "no buffered bytes");
  }

  private @Nullable ByteBuf poll() {
    ByteBuf b = head;
    head = rest == null ? null : rest.poll();
    return b;
  }

  private void fail(Status status) {
    close();
    listener.deframeFailed(status);
  }
}
