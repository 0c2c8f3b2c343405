package dev.grpcspring.boot.actuate;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.boot.autoconfigure.client.DefaultGrpcChannelFactory;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.client.ClientConn;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of every channel the application dialled ({@code grpcChannels}), one component per
 * channel name. A channel's connectivity state maps to a status:
 *
 * <ul>
 *   <li>READY and IDLE: UP (an idle channel connects on its next call);
 *   <li>CONNECTING: UNKNOWN (it is trying, and UNKNOWN does not pull the aggregate down);
 *   <li>TRANSIENT_FAILURE: DOWN;
 *   <li>SHUTDOWN: OUT_OF_SERVICE.
 * </ul>
 *
 * <p>A downstream service being unreachable should usually not fail a liveness probe: leave this
 * contributor out of such health groups, or turn it off with {@code
 * management.health.grpc.enabled=false} (which also turns off {@code grpcServer}).
 */
public class GrpcChannelsHealthContributor implements CompositeHealthContributor {
  private final DefaultGrpcChannelFactory factory;

  public GrpcChannelsHealthContributor(DefaultGrpcChannelFactory factory) {
    this.factory = factory;
  }

  @Override
  public @Nullable HealthContributor getContributor(String name) {
    ClientConn cc = factory.getConnections().get(name);
    return cc == null ? null : indicator(cc);
  }

  @Override
  public Stream<Entry> stream() {
    return factory.getConnections().entrySet().stream()
        .map(e -> new Entry(e.getKey(), indicator(e.getValue())));
  }

  private static HealthIndicator indicator(ClientConn cc) {
    return () -> {
      ConnectivityState state = cc.getState(false);
      CallCounters calls = cc.channelz().calls();
      return Health.status(status(state))
          .withDetail("target", cc.target())
          .withDetail("state", state.name())
          .withDetail("security", cc.transportCredentials().securityProtocol())
          .withDetail("callsStarted", calls.callsStarted())
          .withDetail("callsSucceeded", calls.callsSucceeded())
          .withDetail("callsFailed", calls.callsFailed())
          .build();
    };
  }

  /** The health status for a connectivity state. */
  public static Status status(ConnectivityState state) {
    return switch (state) {
      case READY, IDLE -> Status.UP;
      case CONNECTING -> Status.UNKNOWN;
      case TRANSIENT_FAILURE -> Status.DOWN;
      case SHUTDOWN -> Status.OUT_OF_SERVICE;
    };
  }
}
