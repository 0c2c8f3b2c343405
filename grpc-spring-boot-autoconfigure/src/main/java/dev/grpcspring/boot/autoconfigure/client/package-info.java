/** Auto-configuration of gRPC channels from {@code grpc.client.channel.*}. */
@NullMarked
package dev.grpcspring.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
