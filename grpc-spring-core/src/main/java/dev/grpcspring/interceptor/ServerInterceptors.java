package dev.grpcspring.interceptor;

import dev.grpcspring.ServerCallHandler;
import java.util.List;

/** Chains server interceptors around a handler. */
public final class ServerInterceptors {
  private ServerInterceptors() {}

  /**
   * Wraps {@code handler} so that {@code interceptors.get(0)} sees the call first and the handler
   * last.
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> intercept(
      ServerCallHandler<ReqT, RespT> handler, List<? extends ServerInterceptor> interceptors) {
    ServerCallHandler<ReqT, RespT> h = handler;
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      ServerInterceptor interceptor = interceptors.get(i);
      ServerCallHandler<ReqT, RespT> next = h;
      h = (call, headers) -> interceptor.interceptCall(call, headers, next);
    }
    return h;
  }
}
