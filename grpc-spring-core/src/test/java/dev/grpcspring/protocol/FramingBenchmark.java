package dev.grpcspring.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.grpcspring.codec.ProtoMarshaller;
import io.netty.buffer.ByteBuf;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Length-prefixed message framing ({@link MessageFramer}) and deframing ({@link MessageDeframer}),
 * the latter with the message arriving whole or split across two DATA frames.
 *
 * <p>It sits beside the classes it measures, which core does not export; the benchmarks module
 * ships it in its jar from core's {@code protocol-benchmarks} test jar, so that
 * {@code java -jar grpc-spring-benchmarks.jar jmh FramingBenchmark} runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FramingBenchmark {
  @Param({"100", "1048576"})
  public int payloadBytes;

  /** Into how many DATA frames each message is cut before deframing. */
  @Param({"1", "2"})
  public int frames;

  private final ProtoMarshaller<BytesValue> marshaller =
      ProtoMarshaller.of(BytesValue.getDefaultInstance());
  private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private BytesValue request;
  private MessageFramer framer;
  private ByteBuf framed;
  private MessageDeframer deframer;
  private Blackhole blackhole;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    blackhole = bh;
    request = message(payloadBytes);
    framer = new MessageFramer(alloc, Integer.MAX_VALUE);
    framed = framer.frame(request, marshaller);
    deframer =
        new MessageDeframer(
            new ConsumingListener(blackhole),
            alloc,
            Integer.MAX_VALUE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    deframer.close();
    framed.release();
  }

  @Benchmark
  public int frame() {
    ByteBuf buf = framer.frame(request, marshaller);
    try {
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }

  @Benchmark
  public void deframe() {
    deframer.request(1);
    int length = framed.readableBytes();
    if (frames == 1) {
      deframer.deframe(framed.retainedDuplicate(), false);
    } else {
      int half = length / 2;
      deframer.deframe(framed.retainedSlice(0, half), false);
      deframer.deframe(framed.retainedSlice(half, length - half), false);
    }
  }

  /** A message carrying {@code size} bytes that do not repeat in short runs. */
  static BytesValue message(int size) {
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) (i * 31);
    }
    return BytesValue.of(ByteString.copyFrom(body));
  }
}
