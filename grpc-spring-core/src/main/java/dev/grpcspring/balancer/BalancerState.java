package dev.grpcspring.balancer;

import dev.grpcspring.ConnectivityState;
import java.util.Objects;

/**
 * What a balancer publishes: the channel's aggregate state and the picker calls should use.
 *
 * @param state the aggregate connectivity state
 * @param picker the picker for new calls
 */
public record BalancerState(ConnectivityState state, Picker picker) {
  public BalancerState {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(picker, "picker");
  }
}
