/** Auto-configuration of gRPC server reflection from {@code grpc.server.reflection.*}. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.reflection;

import org.jspecify.annotations.NullMarked;
