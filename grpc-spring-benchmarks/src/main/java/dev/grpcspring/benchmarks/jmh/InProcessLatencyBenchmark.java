package dev.grpcspring.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages;
import dev.grpcspring.benchmarks.proto.BenchmarkServiceGrpc;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.server.Server;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.UUID;
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
 * Unary latency in one JVM, one call at a time, 100-byte request and response: our in-process
 * transport, our HTTP/2 transport over loopback, and grpc-java's in-process and Netty (loopback)
 * transports, each server on its default executor and each client with a blocking stub. Run:
 * {@code java -jar grpc-spring-benchmarks.jar jmh InProcessLatencyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InProcessLatencyBenchmark {
  private static final int PAYLOAD = 100;

  @Param({"ours-in-process", "ours-http2", "grpc-java-in-process", "grpc-java-http2"})
  public String transport;

  private Server ourServer;
  private ClientConn ourChannel;
  private BenchmarkServiceGrpc.BenchmarkServiceBlockingStub ourStub;
  private BenchmarkMessages.SimpleRequest ourRequest;
  private io.grpc.Server javaServer;
  private ManagedChannel javaChannel;
  private io.grpc.benchmarks.proto.BenchmarkServiceGrpc.BenchmarkServiceBlockingStub javaStub;
  private io.grpc.benchmarks.proto.Messages.SimpleRequest javaRequest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String name = "bench-" + UUID.randomUUID();
    switch (transport) {
      case "ours-in-process" -> {
        ourServer = Server.builder().inProcessName(name).registerService(new OurService())
            .build().start();
        ourChannel = ClientConn.dial("in-process:" + name, DialOptions.newBuilder().insecure().build());
      }
      case "ours-http2" -> {
        ourServer = Server.builder().address(new InetSocketAddress("127.0.0.1", 0))
            .registerService(new OurService()).build().start();
        ourChannel = ClientConn.dial("127.0.0.1:" + ourServer.getPort(),
            DialOptions.newBuilder().insecure().build());
      }
      case "grpc-java-in-process" -> {
        javaServer = InProcessServerBuilder.forName(name).addService(new JavaService()).build()
            .start();
        javaChannel = InProcessChannelBuilder.forName(name).build();
      }
      case "grpc-java-http2" -> {
        javaServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new JavaService()).build().start();
        javaChannel = NettyChannelBuilder.forAddress("127.0.0.1", javaServer.getPort())
            .usePlaintext().build();
      }
      default -> throw new IllegalArgumentException("Unknown transport " + transport);
    }
    if (ourChannel != null) {
      ourStub = BenchmarkServiceGrpc.newBlockingStub(ourChannel);
      ourRequest = BenchmarkMessages.SimpleRequest.newBuilder().setResponseSize(PAYLOAD)
          .setPayload(BenchmarkMessages.Payload.newBuilder()
              .setBody(ByteString.copyFrom(new byte[PAYLOAD])))
          .build();
    } else {
      javaStub = io.grpc.benchmarks.proto.BenchmarkServiceGrpc.newBlockingStub(javaChannel);
      javaRequest = io.grpc.benchmarks.proto.Messages.SimpleRequest.newBuilder()
          .setResponseSize(PAYLOAD)
          .setPayload(io.grpc.benchmarks.proto.Messages.Payload.newBuilder()
              .setBody(ByteString.copyFrom(new byte[PAYLOAD])))
          .build();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (ourChannel != null) {
      ourChannel.close();
      ourServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (javaChannel != null) {
      javaChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      javaServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Benchmark
  public Object unary() {
    return ourStub != null ? ourStub.unaryCall(ourRequest) : javaStub.unaryCall(javaRequest);
  }

  private static final class OurService extends BenchmarkServiceGrpc.BenchmarkServiceImplBase {
    private final BenchmarkMessages.SimpleResponse response = BenchmarkMessages.SimpleResponse
        .newBuilder()
        .setPayload(BenchmarkMessages.Payload.newBuilder().setBody(ByteString.copyFrom(new byte[PAYLOAD])))
        .build();

    @Override
    public void unaryCall(BenchmarkMessages.SimpleRequest request,
        dev.grpcspring.stub.StreamObserver<BenchmarkMessages.SimpleResponse> out) {
      out.onNext(response);
      out.onCompleted();
    }
  }

  private static final class JavaService
      extends io.grpc.benchmarks.proto.BenchmarkServiceGrpc.BenchmarkServiceImplBase {
    private final io.grpc.benchmarks.proto.Messages.SimpleResponse response =
        io.grpc.benchmarks.proto.Messages.SimpleResponse.newBuilder()
            .setPayload(io.grpc.benchmarks.proto.Messages.Payload.newBuilder()
                .setBody(ByteString.copyFrom(new byte[PAYLOAD])))
            .build();

    @Override
    public void unaryCall(io.grpc.benchmarks.proto.Messages.SimpleRequest request,
        io.grpc.stub.StreamObserver<io.grpc.benchmarks.proto.Messages.SimpleResponse> out) {
      out.onNext(response);
      out.onCompleted();
    }
  }
}
