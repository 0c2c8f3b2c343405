package dev.grpcspring.benchmarks.server;

import com.google.protobuf.ByteString;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.Payload;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleResponse;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * BenchmarkService on Vert.x gRPC ({@code vertx-grpc-server}): handlers run on Vert.x's event
 * loops, one verticle instance per core sharing the port (Vert.x's way to use every core), on the
 * native transport when it loads. The messages are this module's protobuf classes, decoded and
 * encoded by Vert.x's protobuf codecs.
 */
public final class VertxBenchmarkServer implements BenchmarkServer {
  private static final ServiceName SERVICE = ServiceName.create("grpc.testing.BenchmarkService");
  private static final ServiceMethod<SimpleRequest, SimpleResponse> UNARY =
      ServiceMethod.server(SERVICE, "UnaryCall", GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(SimpleRequest.newBuilder()));
  private static final ServiceMethod<SimpleRequest, SimpleResponse> STREAMING =
      ServiceMethod.server(SERVICE, "StreamingCall", GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(SimpleRequest.newBuilder()));

  private final Vertx vertx;
  private final LongAdder responses = new LongAdder();
  private final ResponseSizes<SimpleResponse> sizes =
      new ResponseSizes<>(
          size ->
              SimpleResponse.newBuilder()
                  .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])))
                  .build());
  private final int port;

  private VertxBenchmarkServer(String host, int requestedPort, int eventLoopThreads)
      throws Exception {
    int instances = eventLoopThreads > 0 ? eventLoopThreads
        : Runtime.getRuntime().availableProcessors();
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    // Each instance runs on an event loop of its own while the pool has enough of them.
    options.setEventLoopPoolSize(Math.max(options.getEventLoopPoolSize(), instances));
    vertx = Vertx.vertx(options);
    try {
      // Vert.x shares one listening socket between the instances that ask for the same port; port
      // 0 would give each its own, so a free port is chosen first.
      port = requestedPort != 0 ? requestedPort : freePort(host);
      await(vertx.deployVerticle(() -> new Verticle(host, port),
          new DeploymentOptions().setInstances(instances)));
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    }
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one) with {@code eventLoopThreads}
   * verticle instances (0: one per core).
   */
  public static VertxBenchmarkServer start(String host, int port, int eventLoopThreads)
      throws Exception {
    return new VertxBenchmarkServer(host, port, eventLoopThreads);
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public long responsesSent() {
    return responses.sum();
  }

  @Override
  public void close() {
    try {
      await(vertx.close());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Vert.x benchmark server did not stop within 30 s", e);
    } catch (Exception e) {
      throw new IllegalStateException("Vert.x benchmark server failed to stop", e);
    }
  }

  /** One HTTP/2 server (on its own event loop) with the gRPC handlers. */
  private final class Verticle extends VerticleBase {
    private final String host;
    private final int listenPort;

    Verticle(String host, int listenPort) {
      this.host = host;
      this.listenPort = listenPort;
    }

    @Override
    public Future<?> start() {
      GrpcServer grpc =
          GrpcServer.server(vertx,
              new GrpcServerOptions().setMaxMessageSize(2L * ResponseSizes.MAX_RESPONSE_BYTES));
      grpc.callHandler(UNARY, request -> request.handler(message -> {
        GrpcServerResponse<SimpleRequest, SimpleResponse> response = request.response();
        SimpleResponse answer = answer(message, response);
        if (answer != null) {
          response.end(answer);
          responses.increment();
        }
      }));
      grpc.callHandler(STREAMING, request -> {
        GrpcServerResponse<SimpleRequest, SimpleResponse> response = request.response();
        boolean[] failed = new boolean[1];
        request.handler(message -> {
          if (failed[0]) {
            return;
          }
          SimpleResponse answer = answer(message, response);
          if (answer == null) {
            failed[0] = true;
            return;
          }
          response.write(answer);
          responses.increment();
        });
        request.endHandler(done -> {
          if (!failed[0]) {
            response.end();
          }
        });
        // A client that cancels its stream (every ping-pong client does when it stops) ends the
        // call; there is nothing left to answer.
        request.errorHandler(error -> {});
      });
      // Plaintext HTTP/2 with prior knowledge (h2c), as every client here speaks it.
      HttpServer server =
          vertx.createHttpServer(
              new HttpServerOptions().setHttp2ClearTextEnabled(true).setTcpNoDelay(true));
      return server.requestHandler(grpc).listen(listenPort, host);
    }
  }

  /** The cached answer, or null after failing the call with INVALID_ARGUMENT. */
  private SimpleResponse answer(
      SimpleRequest request, GrpcServerResponse<SimpleRequest, SimpleResponse> response) {
    try {
      return sizes.get(request.getResponseSize());
    } catch (IllegalArgumentException e) {
      response.status(GrpcStatus.INVALID_ARGUMENT).statusMessage(e.getMessage()).end();
      return null;
    }
  }
}
