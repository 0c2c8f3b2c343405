package dev.grpcspring.benchmarks.jmh;

import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import dev.grpcspring.codec.ProtoMarshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Protobuf marshalling with {@link ProtoMarshaller}: writing straight into a pooled direct buffer
 * and parsing back from one, against protobuf's own {@code toByteArray} as the baseline that makes
 * an intermediate {@code byte[]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MarshallingBenchmark {
  @Param({"100", "1048576"})
  public int payloadBytes;

  private final ProtoMarshaller<SimpleRequest> marshaller =
      ProtoMarshaller.of(SimpleRequest.getDefaultInstance());
  private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private SimpleRequest request;
  private ByteBuf serialized;
  /** The same bytes as they arrive: one slice per 16 KiB DATA frame. */
  private ByteBuf framed;

  @Setup(Level.Trial)
  public void setUp() {
    request = Payloads.request(payloadBytes);
    serialized = alloc.directBuffer(request.getSerializedSize());
    marshaller.serialize(request, serialized);
    CompositeByteBuf frames = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
    for (int at = 0; at < serialized.readableBytes(); at += 16 * 1024) {
      int len = Math.min(16 * 1024, serialized.readableBytes() - at);
      frames.addComponent(true, serialized.retainedSlice(at, len));
    }
    framed = frames;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    framed.release();
    serialized.release();
  }

  /** Our path: serialize into a pooled direct buffer sized up front. */
  @Benchmark
  public int serializeIntoPooledDirect() {
    ByteBuf out = alloc.directBuffer(marshaller.serializedSize(request));
    try {
      marshaller.serialize(request, out);
      return out.readableBytes();
    } finally {
      out.release();
    }
  }

  /** Baseline: protobuf's byte[] then a copy into the pooled buffer. */
  @Benchmark
  public int serializeViaByteArray() {
    byte[] bytes = request.toByteArray();
    ByteBuf out = alloc.directBuffer(bytes.length);
    try {
      out.writeBytes(bytes);
      return out.readableBytes();
    } finally {
      out.release();
    }
  }

  /** Our path for a message in one received (direct) buffer. */
  @Benchmark
  public SimpleRequest parseFromPooledDirect() {
    return marshaller.parse(serialized.duplicate());
  }

  /** Our path for a message that arrived in many DATA frames (a composite buffer). */
  @Benchmark
  public SimpleRequest parseFromFrames() {
    return marshaller.parse(framed.duplicate());
  }
}
