package dev.grpcspring.boot.server;

import dev.grpcspring.server.ServerBuilder;

/**
 * Adjusts the server builder after {@code grpc.server.*} was applied and the services were
 * registered: for settings with no property, such as event loop groups or a compressor registry.
 * Customizer beans run in {@code @Order}.
 */
@FunctionalInterface
public interface GrpcServerBuilderCustomizer {

  void customize(ServerBuilder builder);
}
