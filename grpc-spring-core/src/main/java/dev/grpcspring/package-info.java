/**
 * The API every layer shares, grpc-java's {@code io.grpc} shape: {@link dev.grpcspring.Channel},
 * {@link dev.grpcspring.ClientCall} and {@link dev.grpcspring.ServerCall} with their listeners,
 * {@link dev.grpcspring.MethodDescriptor} and {@link dev.grpcspring.ServiceDescriptor},
 * {@link dev.grpcspring.Metadata}, {@link dev.grpcspring.Status} and its exceptions,
 * {@link dev.grpcspring.Deadline} and {@link dev.grpcspring.Context}, and the connectivity states
 * of grpc-go's {@code connectivity} package.
 */
@NullMarked
package dev.grpcspring;

import org.jspecify.annotations.NullMarked;
