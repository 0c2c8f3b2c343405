package dev.grpcspring.boot.client;

import dev.grpcspring.Channel;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.util.List;

/**
 * Makes and caches the channels named under {@code grpc.client.channel}. Each name is dialled once,
 * on first use, and closed (after its grace period) when the factory closes.
 */
public interface GrpcChannelFactory {

  /**
   * The connection named {@code name} itself (a {@code ClientConn}), dialled now if it was not
   * yet. The channel's default call options and deadline apply to its calls; the global,
   * configured and per-client interceptors do not.
   *
   * @throws IllegalStateException if neither the channel nor the default channel has a target
   */
  Channel getConnection(String name);

  /**
   * The channel named {@code name} as calls should use it: the global interceptors, the channel's
   * configured interceptors, then {@code extra}, with the channel's default call options applied
   * to every call.
   */
  Channel getChannel(String name, List<ClientInterceptor> extra);
}
