package dev.grpcspring.benchmarks.callpath;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import dev.grpcspring.benchmarks.proto.BenchmarkServiceGrpc;
import dev.grpcspring.benchmarks.server.OursBenchmarkServer;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;

/**
 * The program {@link CallPathCommand} traces: our server and our channel in one JVM, some warm-up
 * calls, then one blocking unary call between {@link #begin()} and {@link #end()}. It uses only the
 * public API, so it also runs against an older build of the core placed first on the class path.
 */
public final class CallPathTarget {
  private CallPathTarget() {}

  public static void main(String[] args) throws Exception {
    try (OursBenchmarkServer server = OursBenchmarkServer.start("127.0.0.1", 0, false);
        ClientConn cc = ClientConn.dial("127.0.0.1:" + server.port(),
            DialOptions.newBuilder().insecure().build())) {
      BenchmarkServiceGrpc.BenchmarkServiceBlockingStub stub =
          BenchmarkServiceGrpc.newBlockingStub(cc);
      SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(100)
          .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[100]))).build();
      for (int i = 0; i < 200; i++) {
        stub.unaryCall(request);
      }
      begin();
      stub.unaryCall(request);
      end();
    }
  }

  /** A breakpoint target: the traced call starts after this returns. */
  static void begin() {}

  /** A breakpoint target: the traced call has ended. */
  static void end() {}
}
