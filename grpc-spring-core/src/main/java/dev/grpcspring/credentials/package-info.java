/**
 * Transport and per-call credentials, grpc-go's {@code credentials} package: {@link
 * dev.grpcspring.credentials.TransportCredentials} (insecure, or TLS with the JDK or OpenSSL
 * provider, mutual TLS and rotating key material) for channels, {@link
 * dev.grpcspring.credentials.ServerCredentials} for servers, and {@link
 * dev.grpcspring.credentials.PerRpcCredentials} attached to each call.
 */
@NullMarked
package dev.grpcspring.credentials;

import org.jspecify.annotations.NullMarked;
