package dev.grpcspring.boot.server;

import dev.grpcspring.server.Server;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the gRPC server when the context closes, in the phase where Spring Boot shuts its web
 * server down gracefully (before {@link GrpcServerLifecycle} stops it): the server stops accepting,
 * sends GOAWAY, and calls in flight get the grace period. Draining runs on its own thread and
 * reports back through the stop callback, so other lifecycles of the same phase drain alongside;
 * Spring waits at most {@code spring.lifecycle.timeout-per-shutdown-phase} for it, after which the
 * remaining calls are cancelled.
 */
public class GrpcServerGracefulShutdownLifecycle implements SmartLifecycle {

  /** The phase Spring Boot shuts its web server down gracefully in. */
  public static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Log log = LogFactory.getLog(GrpcServerGracefulShutdownLifecycle.class);

  private final GrpcServerLifecycle serverLifecycle;
  private final Duration gracePeriod;
  private final ApplicationEventPublisher publisher;
  private volatile boolean running;

  public GrpcServerGracefulShutdownLifecycle(GrpcServerLifecycle serverLifecycle,
      Duration gracePeriod, ApplicationEventPublisher publisher) {
    this.serverLifecycle = serverLifecycle;
    this.gracePeriod = gracePeriod;
    this.publisher = publisher;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("Stop through stop(Runnable)");
  }

  @Override
  public void stop(Runnable callback) {
    running = false;
    Server server = serverLifecycle.getServer();
    if (server == null || gracePeriod.isZero() || gracePeriod.isNegative()) {
      callback.run();
      return;
    }
    server.shutdown();
    // After shutdown(): listeners hear of it once the server no longer accepts connections.
    publisher.publishEvent(new GrpcServerShutdownEvent(server));
    Thread drain = new Thread(() -> {
      try {
        if (!server.awaitTermination(gracePeriod)) {
          log.info("gRPC calls still running after the grace period of " + gracePeriod
              + "; they will be cancelled");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        callback.run();
      }
    }, "grpc-server-graceful-shutdown");
    drain.setDaemon(true);
    drain.start();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return GRACEFUL_SHUTDOWN_PHASE;
  }

  @Override
  public boolean isPauseable() {
    return false;
  }
}
