package dev.grpcspring.interop;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.interop.testing.TestServiceGrpc;

/**
 * Marks {@code CacheableUnaryCall} responses cacheable for a minute, so that a caching HTTP proxy in
 * front of the server may answer repeated identical requests itself (the cacheable_unary case).
 */
public final class CacheControlInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> CACHE_CONTROL =
      Metadata.Key.of("cache-control", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String cacheable = TestServiceGrpc.getCacheableUnaryCallMethod().getFullMethodName();
    if (!call.getMethodDescriptor().getFullMethodName().equals(cacheable)) {
      return next.startCall(call, headers);
    }
    return next.startCall(new ForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(CACHE_CONTROL, "max-age=60, public");
        super.sendHeaders(responseHeaders);
      }
    }, headers);
  }
}
