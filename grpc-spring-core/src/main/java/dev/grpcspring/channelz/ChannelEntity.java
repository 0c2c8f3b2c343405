package dev.grpcspring.channelz;

import dev.grpcspring.ConnectivityState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/** A top-level channel (a {@code ClientConn}): its target, state, calls and subchannels. */
public final class ChannelEntity extends Entity {
  private final String target;
  private final Supplier<ConnectivityState> state;
  private final CallCounters calls = new CallCounters();
  private final AttemptCounters attempts = new AttemptCounters();
  private final ChannelTrace trace = new ChannelTrace();
  final Map<Long, SubchannelEntity> subchannels = new ConcurrentSkipListMap<>();

  ChannelEntity(Channelz registry, long id, String target, Supplier<ConnectivityState> state) {
    super(registry, id, target);
    this.target = target;
    this.state = state;
  }

  /** The target the channel was created for. */
  public String target() {
    return target;
  }

  /** The channel's connectivity state now. */
  public ConnectivityState state() {
    return state.get();
  }

  /** The channel's call counters (not summed over subchannels). */
  public CallCounters calls() {
    return calls;
  }

  /** How its calls used attempts: retries, hedges, throttling. */
  public AttemptCounters attempts() {
    return attempts;
  }

  /** Its current subchannels, by ascending id. */
  public List<SubchannelEntity> subchannels() {
    return List.copyOf(subchannels.values());
  }

  /** Its recent events. */
  public ChannelTrace trace() {
    return trace;
  }
}
