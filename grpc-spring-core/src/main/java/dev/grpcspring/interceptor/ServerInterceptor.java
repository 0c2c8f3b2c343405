package dev.grpcspring.interceptor;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;

/**
 * Intercepts incoming calls: reads or adds metadata, wraps the call or its listener, or ends the call
 * with a status before the handler sees it.
 */
@FunctionalInterface
public interface ServerInterceptor {
  /**
   * Handles a call by passing it on to {@code next} (possibly wrapped) or by closing it.
   *
   * @return the listener for the client's messages
   */
  <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next);
}
