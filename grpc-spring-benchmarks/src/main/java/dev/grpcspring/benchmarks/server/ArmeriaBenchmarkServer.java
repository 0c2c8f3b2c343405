package dev.grpcspring.benchmarks.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.grpcspring.benchmarks.ExecutorMode;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * BenchmarkService served by Armeria's gRPC service (grpc-java's generated service on Armeria's own
 * HTTP/2 server). {@link ExecutorMode#DIRECT} is Armeria's default for gRPC, non-blocking service
 * code on the event loop; {@link ExecutorMode#POOLED} runs it on Armeria's blocking task executor.
 * Everything else is Armeria's defaults (its event loops, 1 MiB HTTP/2 windows, epoll when it
 * loads), except the limits that would end a benchmark early.
 */
public final class ArmeriaBenchmarkServer implements BenchmarkServer {
  private final GrpcJavaBenchmarkService service = new GrpcJavaBenchmarkService();
  private final Server server;

  private ArmeriaBenchmarkServer(String host, int port, ExecutorMode mode, int eventLoopThreads) {
    if (mode != ExecutorMode.POOLED && mode != ExecutorMode.DIRECT) {
      throw new IllegalArgumentException("Armeria's server runs pooled or direct, not " + mode);
    }
    int maxMessage = 2 * ResponseSizes.MAX_RESPONSE_BYTES;
    GrpcService grpc =
        GrpcService.builder()
            .addService(service)
            .useBlockingTaskExecutor(mode == ExecutorMode.POOLED)
            .maxRequestMessageLength(maxMessage)
            .maxResponseMessageLength(maxMessage)
            .build();
    ServerBuilder builder =
        Server.builder()
            .http(new InetSocketAddress(host, port))
            .service(grpc)
            // Armeria ends a request after 10 s and an idle connection after 10 s by default; a
            // ping-pong stream lasts the whole run, and grpc-java's server has neither limit.
            .requestTimeoutMillis(0)
            .idleTimeoutMillis(0)
            // 0 = no limit on a request's total length: a ping-pong stream carries many messages.
            .maxRequestLength(0)
            .gracefulShutdownTimeoutMillis(0, 0);
    if (eventLoopThreads > 0) {
      // Armeria's own default is two per core.
      builder.workerGroup(eventLoopThreads);
    }
    this.server = builder.build();
    server.start().join();
  }

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static ArmeriaBenchmarkServer start(String host, int port, ExecutorMode mode,
      int eventLoopThreads) {
    return new ArmeriaBenchmarkServer(host, port, mode, eventLoopThreads);
  }

  @Override
  public int port() {
    return server.activeLocalPort();
  }

  @Override
  public long responsesSent() {
    return service.responsesSent();
  }

  @Override
  public void close() {
    try {
      server.stop().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Armeria benchmark server did not stop within 10 s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Armeria benchmark server failed to stop", e.getCause());
    }
  }
}
