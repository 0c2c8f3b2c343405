package dev.grpcspring.protocol;

import dev.grpcspring.Metadata;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call header work: {@code grpc-timeout} encoding and decoding, {@code grpc-message}
 * percent-encoding, and metadata to and from HTTP/2 headers.
 *
 * <p>Beside the classes it measures, which core does not export; shipped in the benchmarks jar
 * as {@link FramingBenchmark} is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadersBenchmark {
  private final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(1_234);
  private final String encodedTimeout = GrpcTimeout.encode(timeoutNanos);
  private final String asciiMessage = "Deadline exceeded after 1.234 s waiting for the server";
  private final String unicodeMessage = "échec: le serveur a répondu «non» ✗";
  private final String encodedUnicode = PercentEncoding.encode(unicodeMessage);
  private Metadata metadata;
  private Http2Headers received;

  @Setup
  public void setUp() {
    metadata = new Metadata();
    metadata.putAscii("x-request-id", "0f9a3c1e-6b1d-4e55-9a0e-1c2f5d6b7a88");
    metadata.putAscii("user-agent-extra", "benchmarks/1.0");
    metadata.putBinary("trace-bin", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
    received = new DefaultHttp2Headers();
    MetadataCodec.addTo(metadata, received::add);
  }

  @Benchmark
  public String timeoutEncode() {
    return GrpcTimeout.encode(timeoutNanos);
  }

  @Benchmark
  public long timeoutDecode() {
    return GrpcTimeout.decode(encodedTimeout);
  }

  /** The common case: a message with nothing to escape. */
  @Benchmark
  public String percentEncodeAscii() {
    return PercentEncoding.encode(asciiMessage);
  }

  @Benchmark
  public String percentEncodeUnicode() {
    return PercentEncoding.encode(unicodeMessage);
  }

  @Benchmark
  public String percentDecodeUnicode() {
    return PercentEncoding.decode(encodedUnicode);
  }

  @Benchmark
  public Http2Headers metadataToHeaders() {
    Http2Headers headers = new DefaultHttp2Headers();
    MetadataCodec.addTo(metadata, headers::add);
    return headers;
  }

  @Benchmark
  public Metadata metadataFromHeaders() {
    return MetadataCodec.fromHeaders(received);
  }
}
