package dev.grpcspring.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.grpcspring.Marshaller;
import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.util.Objects;

/**
 * The protobuf {@link Marshaller}: writes messages straight into the (pooled, usually direct) frame
 * buffer; parses heap buffers in place and direct ones (what the transport receives) through a
 * reused per-thread array.
 *
 * @param <T> the message type
 */
public final class ProtoMarshaller<T extends Message> implements Marshaller<T> {
  private final T defaultInstance;
  private final Parser<T> parser;

  private ProtoMarshaller(T defaultInstance) {
    this.defaultInstance = Objects.requireNonNull(defaultInstance, "defaultInstance");
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
  }

  /**
   * Messages up to this size are serialized into direct buffers through the per-thread array (a
   * copy this small costs less than the buffers the ByteBuffer route allocates); larger ones are
   * written in place.
   */
  static final int MAX_COPIED_BYTES = 8 * 1024;

  /** Messages up to this size are parsed through the reused per-thread array. */
  static final int MAX_SCRATCH_BYTES = 4 * 1024 * 1024;

  // Weak, so the arrays of many executor threads never pin memory past the next GC.
  private static final ThreadLocal<WeakReference<byte[]>> SCRATCH = new ThreadLocal<>();

  static byte[] scratch(int length) {
    if (length > MAX_SCRATCH_BYTES) {
      return new byte[length];
    }
    WeakReference<byte[]> ref = SCRATCH.get();
    byte[] buf = ref == null ? null : ref.get();
    if (buf == null || buf.length < length) {
      buf = new byte[Math.max(length, 8192)];
      SCRATCH.set(new WeakReference<>(buf));
    }
    return buf;
  }

  /** The marshaller for the type of {@code defaultInstance}. */
  public static <T extends Message> ProtoMarshaller<T> of(T defaultInstance) {
    return new ProtoMarshaller<>(defaultInstance);
  }

  /** The message type's default instance. */
  public T getMessagePrototype() {
    return defaultInstance;
  }

  @Override
  public int serializedSize(T value) {
    return value.getSerializedSize();
  }

  @Override
  public void serialize(T value, ByteBuf out) {
    int size = value.getSerializedSize();
    if (size == 0) {
      return;
    }
    out.ensureWritable(size);
    int writerIndex = out.writerIndex();
    try {
      CodedOutputStream cos;
      if (out.hasArray()) {
        cos = CodedOutputStream.newInstance(out.array(), out.arrayOffset() + writerIndex, size);
      } else if (size <= MAX_COPIED_BYTES) {
        // A small message into direct memory: through the per-thread array and one copy. The
        // ByteBuffer route costs two DirectByteBuffers (Netty's nioBuffer slice and protobuf's
        // duplicate) and a bigger encoder per message, ~130 of a 100-byte call's bytes.
        byte[] scratch = scratch(size);
        cos = CodedOutputStream.newInstance(scratch, 0, size);
        value.writeTo(cos);
        cos.checkNoSpaceLeft();
        out.setBytes(writerIndex, scratch, 0, size);
        out.writerIndex(writerIndex + size);
        return;
      } else {
        cos = CodedOutputStream.newInstance(out.nioBuffer(writerIndex, size));
      }
      value.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("Failed to serialize " + defaultInstance.getDescriptorForType().getFullName()
              + ": " + e.getMessage())
          .withCause(e)
          .asException();
    }
    out.writerIndex(writerIndex + size);
  }

  @Override
  public void serialize(T value, OutputStream out) throws IOException {
    // Large bytes fields go to the stream directly, not through protobuf's buffer, so a small
    // buffer is enough (MessageLite.writeTo(OutputStream) would allocate 4 KiB per message).
    CodedOutputStream cos = CodedOutputStream.newInstance(out, 256);
    value.writeTo(cos);
    cos.flush();
  }

  @Override
  public T parse(ByteBuf in) {
    int length = in.readableBytes();
    try {
      if (length == 0) {
        return defaultInstance;
      }
      if (in.hasArray()) {
        return parser.parseFrom(
            in.array(), in.arrayOffset() + in.readerIndex(), length,
            ExtensionRegistryLite.getEmptyRegistry());
      }
      // Direct memory, in one piece or (a message that arrived in many DATA frames) several:
      // copy it into a reused per-thread array. Parsing copies bytes fields out (no aliasing), so
      // the array is free again as soon as parseFrom returns. protobuf's own ByteBuffer and
      // Iterable<ByteBuffer> paths copy direct buffers into a new array per message here
      // (MarshallingBenchmark: 1 MiB from one direct buffer 102 us and 2 MiB allocated, through
      // the scratch array 63 us and 1 MiB).
      byte[] scratch = scratch(length);
      in.getBytes(in.readerIndex(), scratch, 0, length);
      return parser.parseFrom(scratch, 0, length, ExtensionRegistryLite.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL
          .withDescription("Invalid protobuf byte sequence for "
              + defaultInstance.getDescriptorForType().getFullName() + ": " + e.getMessage())
          .withCause(e)
          .asException();
    }
  }
}
