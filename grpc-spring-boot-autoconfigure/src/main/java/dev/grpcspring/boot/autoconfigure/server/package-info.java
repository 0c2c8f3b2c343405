/** Auto-configuration of the gRPC server from {@code grpc.server.*}. */
package dev.grpcspring.boot.autoconfigure.server;
