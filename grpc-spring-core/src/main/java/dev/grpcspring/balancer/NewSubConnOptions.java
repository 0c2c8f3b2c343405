package dev.grpcspring.balancer;

import java.util.Objects;

/**
 * How to create a subchannel.
 *
 * @param stateListener told of every state change of the new subchannel
 * @param healthCheckEnabled whether this balancer wants client-side health checking (gRFC A17) for
 *     the subchannel: when it does and the service config has a {@code healthCheckConfig}, the
 *     subchannel watches its backend's health and reports READY only while it is SERVING.
 *     round_robin asks for it; pick_first does not, as A17 says
 */
public record NewSubConnOptions(SubConnStateListener stateListener, boolean healthCheckEnabled) {
  public NewSubConnOptions {
    Objects.requireNonNull(stateListener, "stateListener");
  }

  /** Options without health checking. */
  public NewSubConnOptions(SubConnStateListener stateListener) {
    this(stateListener, false);
  }
}
