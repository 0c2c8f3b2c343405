/**
 * The server, grpc-go's {@code server.go}: {@link dev.grpcspring.server.Server} listens, accepts
 * connections with the HTTP/2 server transport, and dispatches each stream ({@code StreamDispatcher},
 * grpc-go's {@code handleStream}) to the method registered in a {@link
 * dev.grpcspring.server.ServerServiceDefinition}; {@code ServerCallImpl} is the call a handler sees.
 */
@NullMarked
package dev.grpcspring.server;

import org.jspecify.annotations.NullMarked;
