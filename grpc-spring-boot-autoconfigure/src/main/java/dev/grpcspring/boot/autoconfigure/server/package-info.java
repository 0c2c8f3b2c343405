/** Auto-configuration of the gRPC server from {@code grpc.server.*}. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
