/** Server-side Spring integration: {@code @GrpcService}, global server interceptors, the server lifecycle, its events and the port-in-use failure analysis. */
@NullMarked
package dev.grpcspring.boot.server;

import org.jspecify.annotations.NullMarked;
