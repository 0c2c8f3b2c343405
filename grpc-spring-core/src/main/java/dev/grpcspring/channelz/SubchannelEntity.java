package dev.grpcspring.channelz;

import dev.grpcspring.ConnectivityState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * A subchannel (an {@code AddrConn}): its addresses, state, the calls (attempts) sent over it and
 * its connections.
 */
public final class SubchannelEntity extends Entity {
  private final ChannelEntity parent;
  private final Supplier<String> addresses;
  private final Supplier<ConnectivityState> state;
  private final CallCounters calls = new CallCounters();
  private final ChannelTrace trace = new ChannelTrace();
  final Map<Long, SocketEntity> sockets = new ConcurrentSkipListMap<>();

  SubchannelEntity(Channelz registry, long id, ChannelEntity parent, Supplier<String> addresses,
      Supplier<ConnectivityState> state) {
    super(registry, id, addresses.get());
    this.parent = parent;
    this.addresses = addresses;
    this.state = state;
  }

  /** The channel it belongs to. */
  public ChannelEntity parent() {
    return parent;
  }

  /** Its addresses now, as text. */
  public String addresses() {
    return addresses.get();
  }

  /** Its connectivity state now. */
  public ConnectivityState state() {
    return state.get();
  }

  /** Calls started on it: attempts that got a stream on one of its connections. */
  public CallCounters calls() {
    return calls;
  }

  /** Its live connections, by ascending id. */
  public List<SocketEntity> sockets() {
    return List.copyOf(sockets.values());
  }

  /** Its recent events. */
  public ChannelTrace trace() {
    return trace;
  }
}
