package dev.grpcspring.balancer;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.resolver.Address;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Switches a channel from one balancing policy to another without a gap (grpc-go's {@code
 * internal/balancer/gracefulswitch}). The channel holds one of these as its balancer.
 *
 * <p>After {@link #switchTo}, the new policy is <em>pending</em>: it gets the resolver updates and
 * builds its subchannels, while the old (<em>current</em>) one keeps serving calls. The pending
 * one replaces the current one, which is then closed, as soon as either
 *
 * <ul>
 *   <li>the pending policy reports any state other than CONNECTING, or
 *   <li>the current policy is not (or stops being) READY: there is nothing worth keeping.
 * </ul>
 *
 * The first policy ever set becomes current at once. Not thread-safe: the channel calls it from its
 * callback serializer only.
 */
public final class GracefulSwitchBalancer implements Balancer {
  private final BalancerClientConn clientConn;
  private @Nullable Child current;
  private @Nullable Child pending;
  private boolean closed;

  public GracefulSwitchBalancer(BalancerClientConn clientConn) {
    this.clientConn = Objects.requireNonNull(clientConn, "clientConn");
  }

  /**
   * Starts switching to the policy {@code builder} makes. A switch still pending is abandoned (its
   * policy closed). Callers decide whether a switch is needed at all (same name and config: no).
   */
  public void switchTo(BalancerBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    if (closed) {
      return;
    }
    Child child = new Child(builder.name());
    if (current == null) {
      current = child;
    } else {
      if (pending != null) {
        pending.closeBalancer();
      }
      pending = child;
    }
    // Set before build: a policy may publish a state from inside build().
    child.balancer = builder.build(child);
  }

  /** The name of the policy the latest {@link #switchTo} asked for, or null before any. */
  public @Nullable String latestPolicyName() {
    Child latest = latest();
    return latest == null ? null : latest.name;
  }

  /** The name of the policy serving calls now, or null before any. */
  public @Nullable String currentPolicyName() {
    return current == null ? null : current.name;
  }

  @Override
  public Status updateClientConnState(ClientConnState state) {
    Child latest = latest();
    // A null balancer means the policy's build() threw: there is no policy to take the update.
    if (closed || latest == null || latest.balancer == null) {
      return Status.UNAVAILABLE.withDescription("No balancing policy set (or closed)");
    }
    return latest.balancer.updateClientConnState(state);
  }

  @Override
  public void resolverError(Status error) {
    Child latest = latest();
    if (!closed && latest != null && latest.balancer != null) {
      latest.balancer.resolverError(error);
    }
  }

  @Override
  public void exitIdle() {
    Child latest = latest();
    if (!closed && latest != null && latest.balancer != null) {
      latest.balancer.exitIdle();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (current != null) {
      current.closeBalancer();
      current = null;
    }
    if (pending != null) {
      pending.closeBalancer();
      pending = null;
    }
  }

  private @Nullable Child latest() {
    return pending != null ? pending : current;
  }

  /** Makes {@code next} (the pending policy) current, publishes its last state, closes {@code old}. */
  private void swap(Child old, Child next) {
    current = next;
    pending = null;
    if (next.lastState != null) {
      clientConn.updateState(next.lastState);
    }
    old.closeBalancer();
  }

  /** One policy's view of the channel: its updates are filtered by whether it is current. */
  private final class Child implements BalancerClientConn {
    final String name;
    // Null until builder.build returns (a policy may publish a state from inside build()).
    @Nullable Balancer balancer;
    @Nullable BalancerState lastState;
    boolean balancerClosed;

    Child(String name) {
      this.name = name;
    }

    void closeBalancer() {
      balancerClosed = true;
      if (balancer != null) {
        balancer.close();
      }
    }

    @Override
    public SubConn newSubConn(List<Address> addresses, NewSubConnOptions options) {
      if (balancerClosed) {
        throw new IllegalStateException("Policy " + name + " was switched away from; it may not make subchannels");
      }
      return clientConn.newSubConn(addresses, options);
    }

    @Override
    public void updateState(BalancerState state) {
      if (balancerClosed) {
        return;
      }
      lastState = state;
      if (this == current) {
        Child next = pending;
        if (next != null && state.state() != ConnectivityState.READY) {
          swap(this, next); // the old policy lost its connection: no reason to keep it
          return;
        }
        clientConn.updateState(state);
      } else if (this == pending) {
        // switchTo only makes a child pending beside a current one, and close() clears both.
        Child old = Objects.requireNonNull(current, "current policy while one is pending");
        BalancerState oldState = old.lastState;
        if (state.state() != ConnectivityState.CONNECTING
            || oldState == null
            || oldState.state() != ConnectivityState.READY) {
          swap(old, this);
        }
      }
    }

    @Override
    public void resolveNow() {
      if (!balancerClosed) {
        clientConn.resolveNow();
      }
    }

    @Override
    public String target() {
      return clientConn.target();
    }
  }
}
