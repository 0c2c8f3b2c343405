/**
 * Spring Security on gRPC calls: {@link dev.grpcspring.boot.security.GrpcAuthenticationReader}s
 * that find the caller's credentials, the {@link dev.grpcspring.boot.security.GrpcSecurityInterceptor}
 * that authenticates and authorizes every call and holds the caller's {@code SecurityContext} around
 * each of its callbacks, and the per-RPC credentials channels send.
 */
@NullMarked
package dev.grpcspring.boot.security;

import org.jspecify.annotations.NullMarked;
