package dev.grpcspring.server;

import static dev.grpcspring.server.EchoService.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.interceptor.ServerInterceptor;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How many I/O threads serve a server's connections, seen from calls of grpc-java clients. */
@Timeout(30)
class ServerEventLoopThreadsTest {

  /** The distinct threads that ran the calls of {@code connections} grpc-java channels. */
  private static Set<String> threadsServing(ServerBuilder builder, int connections) throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    // With a direct executor the interceptor runs on the connection's event loop.
    ServerInterceptor record = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> dev.grpcspring.ServerCall.Listener<ReqT> interceptCall(
          dev.grpcspring.ServerCall<ReqT, RespT> call, dev.grpcspring.Metadata headers,
          dev.grpcspring.ServerCallHandler<ReqT, RespT> next) {
        threads.add(Thread.currentThread().getName());
        return next.startCall(call, headers);
      }
    };
    Server server = builder.address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoService().definition())
        .intercept(record)
        .directExecutor()
        .build()
        .start();
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext().build();
        channels.add(ch);
        assertThat(ClientCalls.blockingUnaryCall(ch, ServerInteropTest.UNARY, CallOptions.DEFAULT,
            sv("c" + i)).getValue()).isEqualTo("echo:c" + i);
      }
    } finally {
      for (ManagedChannel ch : channels) {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      server.close();
    }
    return threads;
  }

  @Test
  void connectionsSpreadOverAsManyLoopsAsAskedFor() throws Exception {
    assertThat(threadsServing(Server.builder().eventLoopThreads(3), 6)).hasSize(3);
    assertThat(threadsServing(Server.builder().eventLoopThreads(1), 4)).hasSize(1);
  }

  @Test
  void byDefaultOneLoopPerCore() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(threadsServing(Server.builder(), 2 * cores)).hasSize(cores);
  }

  @Test
  void aCountMustBePositiveAndCannotSizeGroupsGivenByTheCaller() {
    assertThatThrownBy(() -> Server.builder().eventLoopThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eventLoopThreads must be positive");
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      ServerBuilder b = Server.builder().port(0).eventLoopThreads(2).eventLoopGroups(group, group);
      assertThatThrownBy(b::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("size the worker group when creating it");
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }
}
