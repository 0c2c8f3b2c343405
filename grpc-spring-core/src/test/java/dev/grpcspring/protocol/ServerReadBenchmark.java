package dev.grpcspring.protocol;

import com.google.protobuf.BytesValue;
import dev.grpcspring.Metadata;
import dev.grpcspring.codec.ProtoMarshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The protocol-layer steps of a server receiving a request, as they run per message and per call,
 * for their allocation ({@code -prof gc}, {@code gc.alloc.rate.norm}); time is secondary.
 *
 * <ul>
 *   <li>{@link #deframeWholeFrame}: one 100-byte message per DATA frame through a long-lived
 *       {@link MessageDeframer} (a streaming call's per-message read). The frame is a buffer the
 *       deframer does not get a recycled slice of, as with Netty's frame reader on the default
 *       allocator; the benchmark reuses one such buffer so that making the input costs nothing.
 *       The deframer now hands that buffer over instead of slicing it.
 *   <li>{@link #frameSmall}: a 100-byte response framed into a direct buffer ({@link
 *       MessageFramer}, {@link ProtoMarshaller}) through the per-thread array: protobuf's array
 *       encoder is all that is left, and the JIT mostly removes it (was two DirectByteBuffers
 *       and a bigger encoder).
 *   <li>{@link #requestMetadata}: a request's header block to {@link Metadata} (a gRPC client's
 *       fields, one of them metadata). The values are the same instances each time, as HPACK's
 *       dynamic table hands them back, so their Strings are cached: what is left is the Metadata.
 * </ul>
 *
 * <p>{@code java -jar grpc-spring-benchmarks.jar jmh ServerReadBenchmark -prof gc}, 2026-12-02,
 * bytes per operation before (commit 0fc46e0) and after: deframeWholeFrame 40 -> 0, frameSmall
 * 172 -> 12, requestMetadata 120 -> 88.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServerReadBenchmark {
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final ProtoMarshaller<BytesValue> marshaller =
      ProtoMarshaller.of(BytesValue.getDefaultInstance());
  private BytesValue response;
  private MessageFramer framer;
  private ByteBuf frame;
  private MessageDeframer deframer;
  private Blackhole blackhole;
  private List<Map.Entry<CharSequence, CharSequence>> headers;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    blackhole = bh;
    response = FramingBenchmark.message(100);
    framer = new MessageFramer(alloc, Integer.MAX_VALUE);
    // An unpooled buffer: its slices are new objects, as the slices of Netty's read buffers are.
    frame = new MessageFramer(UnpooledByteBufAllocator.DEFAULT, Integer.MAX_VALUE)
        .frame(response, marshaller);
    deframer = new MessageDeframer(new ConsumingListener(blackhole), alloc, Integer.MAX_VALUE);
    headers = List.of(
        entry(":method", "POST"), entry(":scheme", "http"),
        entry(":path", "/grpc.testing.BenchmarkService/UnaryCall"),
        entry(":authority", "127.0.0.1:50051"), entry("content-type", "application/grpc"),
        entry("te", "trailers"), entry("user-agent", "grpc-java-netty/1.79.0"));
  }

  private static Map.Entry<CharSequence, CharSequence> entry(String name, String value) {
    return new AbstractMap.SimpleImmutableEntry<>(AsciiString.of(name), AsciiString.of(value));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    deframer.close();
    frame.release();
  }

  @Benchmark
  public void deframeWholeFrame() {
    deframer.request(1);
    // The deframer takes one reference and its listener releases it: the buffer lives on.
    frame.retain().readerIndex(0);
    deframer.deframe(frame, false);
  }

  @Benchmark
  public int frameSmall() {
    ByteBuf buf = framer.frame(response, marshaller);
    try {
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }

  @Benchmark
  public Metadata requestMetadata() {
    return MetadataCodec.fromHeaders(headers);
  }
}
