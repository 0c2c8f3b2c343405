package dev.grpcspring.boot.autoconfigure.server;

import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Where the gRPC server runs service handlers. Its own type, not an {@link Executor} bean, so that
 * it neither clashes with nor replaces the application's task executor. Define a bean of this type
 * to supply your own; {@code null} from {@link #getExecutor()} means the transport's threads.
 */
@FunctionalInterface
public interface GrpcServerExecutorProvider {

  /** The executor for handlers, or {@code null} to run them on the I/O threads. */
  @Nullable Executor getExecutor();
}
