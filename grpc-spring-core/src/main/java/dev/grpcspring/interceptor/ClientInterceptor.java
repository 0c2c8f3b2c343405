package dev.grpcspring.interceptor;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.MethodDescriptor;

/**
 * Intercepts outgoing calls: adds metadata, changes options, wraps the call or its listener
 * (grpc-go's unary and stream interceptors in one shape).
 */
@FunctionalInterface
public interface ClientInterceptor {
  /** Creates the call, usually through {@code next.newCall(method, callOptions)}, maybe wrapped. */
  <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next);
}
