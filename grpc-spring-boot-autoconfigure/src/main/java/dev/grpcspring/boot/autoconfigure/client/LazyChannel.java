package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.MethodDescriptor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A channel made by its supplier on first use, then reused. */
final class LazyChannel implements Channel {

  private final Supplier<Channel> supplier;
  private volatile @Nullable Channel channel;

  LazyChannel(Supplier<Channel> supplier) {
    this.supplier = supplier;
  }

  private Channel channel() {
    Channel c = channel;
    if (c == null) {
      synchronized (this) {
        c = channel;
        if (c == null) {
          c = supplier.get();
          channel = c;
        }
      }
    }
    return c;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions) {
    return channel().newCall(method, callOptions);
  }

  @Override
  public String authority() {
    return channel().authority();
  }
}
