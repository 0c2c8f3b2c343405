package dev.grpcspring.client;

import dev.grpcspring.Status;
import dev.grpcspring.balancer.GracefulSwitchBalancer;
import dev.grpcspring.balancer.BalancerBuilder;
import dev.grpcspring.balancer.BalancerClientConn;
import dev.grpcspring.balancer.BalancerState;
import dev.grpcspring.balancer.ClientConnState;
import dev.grpcspring.balancer.NewSubConnOptions;
import dev.grpcspring.balancer.SubConn;
import dev.grpcspring.resolver.Address;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The channel as its load balancer sees it (grpc-go's {@code ccBalancerWrapper}). Every method
 * runs in the channel's callback serializer. Subchannels become {@link AddrConn}s; published
 * pickers go to the {@link PickerWrapper} and states to the channel's state manager.
 */
final class BalancerWrapper implements BalancerClientConn {
  private final ClientConn cc;
  private @Nullable GracefulSwitchBalancer balancer; // null once closed
  private boolean closed;

  BalancerWrapper(ClientConn cc) {
    this.cc = cc;
    this.balancer = new GracefulSwitchBalancer(this);
  }

  /**
   * Switches to {@code builder}'s policy unless it is already the latest; the old policy keeps
   * serving until the new one is ready (the graceful switch).
   */
  void switchTo(BalancerBuilder builder) {
    cc.serializer().checkInSerializer();
    if (closed || balancer == null || builder.name().equals(balancer.latestPolicyName())) {
      return;
    }
    balancer.switchTo(builder);
  }

  /** The latest policy's name, or null before the first switch. */
  @Nullable String policy() {
    return balancer == null ? null : balancer.latestPolicyName();
  }

  Status updateClientConnState(ClientConnState state) {
    cc.serializer().checkInSerializer();
    if (closed || balancer == null) {
      return Status.UNAVAILABLE.withDescription("The channel's balancer is closed");
    }
    return balancer.updateClientConnState(state);
  }

  void resolverError(Status error) {
    if (!closed && balancer != null) {
      balancer.resolverError(error);
    }
  }

  void exitIdle() {
    if (!closed && balancer != null) {
      balancer.exitIdle();
    }
  }

  void close() {
    closed = true;
    if (balancer != null) {
      balancer.close();
      balancer = null;
    }
  }

  @Override
  public SubConn newSubConn(List<Address> addresses, NewSubConnOptions options) {
    if (closed) {
      throw new IllegalStateException("The channel's balancer is closed");
    }
    return cc.newAddrConn(addresses, options.stateListener(), options.healthCheckEnabled());
  }

  @Override
  public void updateState(BalancerState state) {
    if (closed) {
      return; // a balancer that was switched away or shut down for idleness
    }
    cc.updateBalancerState(state);
  }

  @Override
  public void resolveNow() {
    if (!closed) {
      cc.resolveNowInSerializer();
    }
  }

  @Override
  public String target() {
    return cc.target();
  }
}
