package dev.grpcspring.interop;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingClientCallListener;

/**
 * A client interceptor that adds fixed metadata to every request and keeps the response headers and
 * trailers of the last call, for the custom_metadata case.
 */
final class MetadataCapture implements ClientInterceptor {
  private final Metadata extraHeaders;
  private volatile Metadata headers;
  private volatile Metadata trailers;

  MetadataCapture(Metadata extraHeaders) {
    this.extraHeaders = extraHeaders;
  }

  /** The response headers of the last call; null if it had none (Trailers-Only). */
  Metadata headers() {
    return headers;
  }

  /** The trailers of the last call, once it has ended. */
  Metadata trailers() {
    return trailers;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    headers = null;
    trailers = null;
    return new ForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> listener, Metadata requestHeaders) {
        requestHeaders.merge(extraHeaders);
        super.start(new ForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            headers = responseHeaders;
            super.onHeaders(responseHeaders);
          }

          @Override
          public void onClose(Status status, Metadata responseTrailers) {
            trailers = responseTrailers;
            super.onClose(status, responseTrailers);
          }
        }, requestHeaders);
      }
    };
  }
}
