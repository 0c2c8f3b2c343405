package dev.grpcspring.balancer;

import java.util.Objects;

/**
 * How to create a subchannel.
 *
 * @param stateListener told of every state change of the new subchannel
 */
public record NewSubConnOptions(SubConnStateListener stateListener) {
  public NewSubConnOptions {
    Objects.requireNonNull(stateListener, "stateListener");
  }
}
