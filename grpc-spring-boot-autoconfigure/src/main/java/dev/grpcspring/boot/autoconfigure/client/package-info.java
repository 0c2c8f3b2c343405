/** Auto-configuration of gRPC channels from {@code grpc.client.channel.*}. */
package dev.grpcspring.boot.autoconfigure.client;
