package dev.grpcspring.boot.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingClientCallListener;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Tells a {@link BearerTokenSupplier} when the server answers UNAUTHENTICATED, so that a cached
 * token the server no longer accepts is not sent again until it expires. Without it a revoked
 * token fails every call for the rest of its lifetime (an hour is common).
 */
final class RejectedTokenInterceptor implements ClientInterceptor {
  private final BearerTokenSupplier tokens;
  private final Clock clock;

  RejectedTokenInterceptor(BearerTokenSupplier tokens, Clock clock) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.clock = clock;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new ForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        Instant started = clock.instant();
        super.start(new ForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            if (status.getCode() == Code.UNAUTHENTICATED) {
              tokens.rejected(started);
            }
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  @Override
  public String toString() {
    return "RejectedTokenInterceptor{" + tokens + "}";
  }
}
