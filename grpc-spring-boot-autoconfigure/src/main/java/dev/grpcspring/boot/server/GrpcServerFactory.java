package dev.grpcspring.boot.server;

import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import java.util.List;

/**
 * Makes the gRPC server, not yet started, serving {@code services}. The auto-configured one reads
 * {@code grpc.server.*}; define a bean of this type to build the server differently.
 */
@FunctionalInterface
public interface GrpcServerFactory {

  /**
   * @param services the services to serve, each already wrapped in its interceptors
   */
  Server createServer(List<ServerServiceDefinition> services);
}
