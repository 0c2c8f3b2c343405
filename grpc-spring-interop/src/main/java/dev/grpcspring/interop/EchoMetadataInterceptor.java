package dev.grpcspring.interop;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ServerInterceptor;

/**
 * Echoes the interop test metadata: {@code x-grpc-test-echo-initial} from the request comes back in
 * the response headers, {@code x-grpc-test-echo-trailing-bin} in the trailers. A call that ends
 * before sending headers goes out as Trailers-Only, so then both come back in that one block.
 */
public final class EchoMetadataInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of("x-grpc-test-echo-initial", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of("x-grpc-test-echo-trailing-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String initial = headers.get(ECHO_INITIAL);
    byte[] trailing = headers.get(ECHO_TRAILING);
    if (initial == null && trailing == null) {
      return next.startCall(call, headers);
    }
    return next.startCall(new ForwardingServerCall<>(call) {
      private boolean headersSent;

      @Override
      public void sendHeaders(Metadata responseHeaders) {
        if (initial != null) {
          responseHeaders.put(ECHO_INITIAL, initial);
        }
        headersSent = true;
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (initial != null && !headersSent) {
          trailers.put(ECHO_INITIAL, initial);
        }
        if (trailing != null) {
          trailers.put(ECHO_TRAILING, trailing);
        }
        super.close(status, trailers);
      }
    }, headers);
  }
}
