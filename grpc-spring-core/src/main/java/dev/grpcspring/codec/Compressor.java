package dev.grpcspring.codec;

import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * A message codec named in {@code grpc-encoding}. Each message is compressed on its own (a new
 * compression context per message, as the spec asks). Implementations are stateless and
 * thread-safe.
 */
public interface Compressor {
  /** The no-op codec; messages with it are never flagged compressed. */
  Compressor IDENTITY = new Identity();

  /** gzip (RFC 1952), through {@link java.util.zip}. */
  Compressor GZIP = new StreamCompressor("gzip") {
    @Override
    OutputStream wrap(OutputStream out) throws IOException {
      return new GZIPOutputStream(out, 8192);
    }

    @Override
    InputStream wrap(InputStream in) throws IOException {
      return new GZIPInputStream(in, 8192);
    }
  };

  /** deflate: the zlib format (RFC 1950), as HTTP's {@code deflate} means, through java.util.zip. */
  Compressor DEFLATE = new StreamCompressor("deflate") {
    @Override
    OutputStream wrap(OutputStream out) {
      return new DeflaterOutputStream(out);
    }

    @Override
    InputStream wrap(InputStream in) {
      return new InflaterInputStream(in);
    }
  };

  /** The name used in {@code grpc-encoding} and {@code grpc-accept-encoding}. */
  String name();

  /**
   * Compresses every readable byte of {@code in} into {@code out}. Does not release either buffer.
   *
   * @throws StatusException INTERNAL if the codec fails
   */
  void compress(ByteBuf in, ByteBuf out);

  /**
   * Decompresses every readable byte of {@code in} into a new buffer from {@code alloc}, which the
   * caller owns. Does not release {@code in}.
   *
   * @param maxOutputSize the most bytes the result may hold
   * @throws StatusException RESOURCE_EXHAUSTED when the result would exceed {@code maxOutputSize};
   *     INTERNAL when the input is corrupt
   */
  ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxOutputSize);

  /** Identity: copies. */
  final class Identity implements Compressor {
    private Identity() {}

    @Override
    public String name() {
      return "identity";
    }

    @Override
    public void compress(ByteBuf in, ByteBuf out) {
      out.writeBytes(in, in.readerIndex(), in.readableBytes());
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxOutputSize) {
      if (in.readableBytes() > maxOutputSize) {
        throw tooLarge(maxOutputSize);
      }
      return in.retainedSlice();
    }
  }

  /** A codec built on java.util.zip's stream classes. */
  abstract class StreamCompressor implements Compressor {
    private final String name;

    StreamCompressor(String name) {
      this.name = name;
    }

    abstract OutputStream wrap(OutputStream out) throws IOException;

    abstract InputStream wrap(InputStream in) throws IOException;

    @Override
    public String name() {
      return name;
    }

    @Override
    public void compress(ByteBuf in, ByteBuf out) {
      try (OutputStream os = wrap(new ByteBufOutputStream(out))) {
        in.getBytes(in.readerIndex(), os, in.readableBytes());
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription(name + " compression failed: " + e.getMessage())
            .withCause(e).asException();
      }
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxOutputSize) {
      // Guess the result is a few times the input; it grows as needed, never past the limit.
      int initial = (int) Math.min(maxOutputSize, Math.max(256L, in.readableBytes() * 4L));
      ByteBuf out = alloc.buffer(initial);
      boolean ok = false;
      try (InputStream is = wrap(new ByteBufInputStream(in.duplicate()))) {
        while (true) {
          int room = maxOutputSize - out.writerIndex();
          if (room == 0) {
            // The limit is reached: anything more makes the message too large.
            if (is.read() >= 0) {
              throw tooLarge(maxOutputSize);
            }
            break;
          }
          out.ensureWritable(Math.min(room, 8192));
          int n = out.writeBytes(is, Math.min(room, out.writableBytes()));
          if (n < 0) {
            break;
          }
        }
        ok = true;
        return out;
      } catch (ZipException | EOFException e) {
        throw Status.INTERNAL.withDescription(
                "Could not decompress the " + name + " message: " + e.getMessage())
            .withCause(e).asException();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription(
                "Could not decompress the " + name + " message: " + e)
            .withCause(e).asException();
      } finally {
        if (!ok) {
          out.release();
        }
      }
    }

    @Override
    public String toString() {
      return "Compressor{" + name + "}";
    }
  }

  private static StatusException tooLarge(int max) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription("Decompressed gRPC message exceeds maximum size " + max)
        .asException();
  }
}
