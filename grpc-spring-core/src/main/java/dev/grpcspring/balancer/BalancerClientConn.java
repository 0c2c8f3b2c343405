package dev.grpcspring.balancer;

import dev.grpcspring.resolver.Address;
import java.util.List;

/**
 * The channel, as a balancer sees it (grpc-go's {@code balancer.ClientConn}). Called only from the
 * channel's callback serializer (that is, from within balancer callbacks).
 */
public interface BalancerClientConn {
  /** Creates an IDLE subchannel for {@code addresses}; call {@link SubConn#connect()} to start. */
  SubConn newSubConn(List<Address> addresses, NewSubConnOptions options);

  /** Publishes a new aggregate state and picker. */
  void updateState(BalancerState state);

  /** Asks the resolver to resolve again. */
  void resolveNow();

  /** The channel's target, for logs. */
  String target();
}
