/**
 * Client and server interceptors (grpc-go's {@code UnaryClientInterceptor} and friends, in
 * grpc-java's single {@code ClientInterceptor}/{@code ServerInterceptor} shape) and the forwarding
 * calls and listeners they are written with.
 */
@NullMarked
package dev.grpcspring.interceptor;

import org.jspecify.annotations.NullMarked;
