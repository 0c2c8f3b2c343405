package dev.grpcspring.interop;

import dev.grpcspring.credentials.ServerCredentials;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.server.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The interop test server: {@link TestServiceImpl} (with its interceptors) on a grpc-spring
 * {@link Server}, accepting requests up to 16 MiB as the very_large_request case needs.
 * {@code UnimplementedService} is deliberately not registered.
 */
public final class InteropServer implements AutoCloseable {
  /** The inbound limit grpc-java's interop server uses too; 10 MiB requests must fit. */
  public static final int MAX_INBOUND_MESSAGE_SIZE = 16 * 1024 * 1024;

  private final ScheduledExecutorService scheduler;
  private final TestServiceImpl service;
  private final Server server;

  private InteropServer(SocketAddress address, ServerCredentials credentials) throws IOException {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "interop-response-timer");
      thread.setDaemon(true);
      return thread;
    });
    service = new TestServiceImpl(scheduler);
    Server built = Server.builder()
        .address(address)
        .credentials(credentials)
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
        .registerService(service.serviceDefinition())
        .build();
    try {
      server = built.start();
    } catch (IOException | RuntimeException e) {
      scheduler.shutdownNow();
      throw e;
    }
  }

  /**
   * Starts serving on {@code port} on every local interface; 0 picks a free port.
   *
   * @throws IOException if the port cannot be bound
   */
  public static InteropServer start(int port) throws IOException {
    return start(port, ServerCredentials.insecure());
  }

  /**
   * Starts serving on {@code port} on every local interface with {@code credentials} (TLS for
   * {@code --use_tls=true}); 0 picks a free port.
   *
   * @throws IOException if the port cannot be bound
   */
  public static InteropServer start(int port, ServerCredentials credentials) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Port " + port + " is not in 0-65535");
    }
    return new InteropServer(new InetSocketAddress(port), credentials);
  }

  /**
   * Starts serving in this JVM only, as {@code in-process:<name>}: no socket, no event loops.
   *
   * @throws IOException if another running server has the name
   */
  public static InteropServer startInProcess(String name) throws IOException {
    return new InteropServer(new InProcessSocketAddress(name), ServerCredentials.insecure());
  }

  /** The port the server is bound to; -1 when it serves in-process only. */
  public int port() {
    return server.getPort();
  }

  /** The id the service reports for {@code fill_server_id}. */
  public String serverId() {
    return service.serverId();
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops gracefully, giving calls in flight up to 2 s, then stops the response timer. */
  @Override
  public void close() {
    try {
      server.stop(Duration.ofSeconds(2));
    } finally {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
