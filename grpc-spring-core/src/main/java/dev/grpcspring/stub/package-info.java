/**
 * What generated stubs are built on, in grpc-java's stub shape: blocking, future and async
 * ({@link dev.grpcspring.stub.StreamObserver}) stubs, {@link dev.grpcspring.stub.ClientCalls} for
 * the client side and {@link dev.grpcspring.stub.ServerCalls} for the server side (the request and
 * response handling of grpc-go's {@code processRPC}, formerly {@code processUnaryRPC} and {@code
 * processStreamingRPC}).
 */
@NullMarked
package dev.grpcspring.stub;

import org.jspecify.annotations.NullMarked;
