package dev.grpcspring.interop;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingClientCallListener;
import java.util.ArrayList;
import java.util.List;

/**
 * A client interceptor that notes, for each response message, whether it arrived compressed on the
 * wire ({@link ClientCall#isInboundMessageCompressed()}), for the server_compressed_* cases.
 */
final class CompressionCapture implements ClientInterceptor {
  private final List<Boolean> flags = new ArrayList<>();

  /** The compressed flag of every response received so far through this interceptor, in order. */
  synchronized List<Boolean> flags() {
    return new ArrayList<>(flags);
  }

  private synchronized void add(boolean compressed) {
    flags.add(compressed);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
    return new ForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener<>(listener) {
          @Override
          public void onMessage(RespT message) {
            add(call.isInboundMessageCompressed());
            super.onMessage(message);
          }
        }, headers);
      }
    };
  }
}
