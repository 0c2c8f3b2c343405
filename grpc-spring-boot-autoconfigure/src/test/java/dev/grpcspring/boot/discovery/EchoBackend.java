package dev.grpcspring.boot.discovery;

import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A grpc-java echo server on loopback that counts its calls: a real peer for discovery tests. */
public final class EchoBackend implements AutoCloseable {
  public final AtomicInteger calls = new AtomicInteger();
  private final Server server;

  public EchoBackend() throws IOException {
    MethodDescriptor<EchoRequest, EchoResponse> echo = MethodDescriptor.<EchoRequest, EchoResponse>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
        .setRequestMarshaller(ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(EchoResponse.getDefaultInstance()))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder(EchoServiceGrpc.SERVICE_NAME)
            .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
              calls.incrementAndGet();
              obs.onNext(EchoResponse.newBuilder().setText(req.getText()).build());
              obs.onCompleted();
            }))
            .build())
        .build()
        .start();
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination();
  }
}
