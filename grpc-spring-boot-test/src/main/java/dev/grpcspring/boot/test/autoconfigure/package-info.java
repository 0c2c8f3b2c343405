/**
 * Test support for applications on the grpc-spring starter: {@link
 * dev.grpcspring.boot.test.autoconfigure.AutoConfigureInProcessTransport} moves every gRPC server
 * and channel of a test's application context onto the in-process transport, and {@link
 * dev.grpcspring.boot.test.autoconfigure.GrpcTest} is a test slice that loads only the gRPC
 * auto-configuration and the services under test.
 */
@NullMarked
package dev.grpcspring.boot.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
