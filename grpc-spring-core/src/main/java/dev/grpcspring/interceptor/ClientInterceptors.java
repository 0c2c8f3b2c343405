package dev.grpcspring.interceptor;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.MethodDescriptor;
import java.util.List;

/** Chains client interceptors in front of a channel. */
public final class ClientInterceptors {
  private ClientInterceptors() {}

  /**
   * A channel whose calls go through {@code interceptors} in list order (the first sees the call
   * first), then to {@code channel}.
   */
  public static Channel intercept(Channel channel, List<? extends ClientInterceptor> interceptors) {
    Channel c = channel;
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      c = new InterceptedChannel(c, interceptors.get(i));
    }
    return c;
  }

  private record InterceptedChannel(Channel next, ClientInterceptor interceptor) implements Channel {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      return interceptor.interceptCall(method, callOptions, next);
    }

    @Override
    public String authority() {
      return next.authority();
    }
  }
}
