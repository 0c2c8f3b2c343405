package dev.grpcspring.balancer;

import dev.grpcspring.Status;

/**
 * A load-balancing policy instance for one channel. Every method is called through the channel's
 * callback serializer, one at a time, never on an application thread.
 */
public interface Balancer {
  /**
   * New addresses or config from the resolver.
   *
   * @return OK, or UNAVAILABLE when the state is unusable (no addresses): the channel then asks the
   *     resolver to resolve again
   */
  Status updateClientConnState(ClientConnState state);

  /** The resolver failed; keep serving with the old addresses if there are any. */
  void resolverError(Status error);

  /** Leave IDLE: connect if not connected (a call arrived while idle). */
  void exitIdle();

  /** Shut down every subchannel this balancer made. */
  void close();
}
