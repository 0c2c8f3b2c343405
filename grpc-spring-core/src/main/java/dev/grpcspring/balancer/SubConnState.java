package dev.grpcspring.balancer;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import java.util.Objects;

/**
 * A subchannel's state, with the error that caused TRANSIENT_FAILURE.
 *
 * @param state the state
 * @param connectionError why the last connection attempt failed; OK unless TRANSIENT_FAILURE
 */
public record SubConnState(ConnectivityState state, Status connectionError) {
  public SubConnState {
    Objects.requireNonNull(state, "state");
    connectionError = connectionError == null ? Status.OK : connectionError;
  }

  public static SubConnState of(ConnectivityState state) {
    return new SubConnState(state, Status.OK);
  }
}
