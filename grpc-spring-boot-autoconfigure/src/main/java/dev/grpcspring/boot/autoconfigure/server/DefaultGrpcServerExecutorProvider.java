package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.server.ElasticPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The handler executor from {@code grpc.server.executor.*}: the I/O threads when {@code direct},
 * virtual threads when they are enabled on Java 21+, else a bounded pool of platform threads,
 * started on demand, that this provider owns and shuts down.
 */
public class DefaultGrpcServerExecutorProvider implements GrpcServerExecutorProvider, DisposableBean {

  private static final Log log = LogFactory.getLog(DefaultGrpcServerExecutorProvider.class);

  /** As Tomcat's default worker maximum; threads start on demand, so idle servers hold few. */
  static final int DEFAULT_MAX_THREADS = 200;

  private final @Nullable Executor executor;
  private final @Nullable ExecutorService owned;

  /**
   * @param direct whether handlers run on the I/O threads
   * @param virtualThreads whether virtual threads are active (Java 21+ and enabled)
   * @param virtualThreadsRequested whether {@code spring.threads.virtual.enabled} is set, to
   *     explain when it cannot apply
   * @param threads maximum size of the platform pool, or {@code null} for the default (200)
   */
  public DefaultGrpcServerExecutorProvider(boolean direct, boolean virtualThreads,
      boolean virtualThreadsRequested, @Nullable Integer threads) {
    if (direct) {
      executor = null;
      owned = null;
    } else if (virtualThreads) {
      executor = new VirtualThreadTaskExecutor("grpc-server-");
      owned = null;
    } else {
      if (virtualThreadsRequested) {
        log.info("spring.threads.virtual.enabled is set, but virtual threads need Java 21 or"
            + " later (this is Java " + Runtime.version().feature() + "); gRPC service handlers"
            + " run on a platform thread pool");
      }
      int size = threads != null ? threads : DEFAULT_MAX_THREADS;
      if (size <= 0) {
        throw new IllegalArgumentException("grpc.server.executor.threads must be positive, was "
            + size);
      }
      owned = ElasticPool.create("grpc-server", size, Duration.ofSeconds(60));
      executor = owned;
    }
  }

  @Override
  public @Nullable Executor getExecutor() {
    return executor;
  }

  /**
   * Interrupts the handlers still running. By now the server has drained and stopped, so these
   * belong to calls that were cancelled and no longer reach a client.
   */
  @Override
  public void destroy() throws InterruptedException {
    if (owned != null) {
      List<Runnable> never = owned.shutdownNow();
      if (!owned.awaitTermination(2, TimeUnit.SECONDS)) {
        log.warn("gRPC handler threads ignored interruption for 2 s after the server stopped");
      }
      if (!never.isEmpty()) {
        log.debug(never.size() + " queued gRPC handler tasks were dropped at shutdown");
      }
    }
  }
}
