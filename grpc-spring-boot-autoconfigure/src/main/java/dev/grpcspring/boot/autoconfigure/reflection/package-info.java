/** Auto-configuration of gRPC server reflection from {@code grpc.server.reflection.*}. */
package dev.grpcspring.boot.autoconfigure.reflection;
