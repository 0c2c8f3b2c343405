package dev.grpcspring.balancer;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.resolver.Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code round_robin} policy: a subchannel per address, calls rotated over the READY ones.
 *
 * <ul>
 *   <li>On an address update, subchannels of addresses still present are kept (matched by {@link
 *       Address#equals}); new addresses get new subchannels, which connect at once; subchannels of
 *       removed addresses are shut down.
 *   <li>The channel is READY if any subchannel is READY, else CONNECTING if any is connecting (or
 *       IDLE, since those reconnect at once), else TRANSIENT_FAILURE with the last connection error.
 *   <li>A subchannel in TRANSIENT_FAILURE counts as failed until it is READY again (A61), so a
 *       flapping backend does not pull the channel back to CONNECTING.
 *   <li>A subchannel that fails or drops asks the resolver to resolve again.
 *   <li>Subchannels are health-checked when the service config has a {@code healthCheckConfig}
 *       (gRFC A17): one whose backend is not SERVING reports TRANSIENT_FAILURE and leaves the
 *       rotation until it reports READY (SERVING) again.
 * </ul>
 *
 * Not thread-safe: the channel calls it from its callback serializer only.
 */
final class RoundRobinBalancer implements Balancer {
  private final BalancerClientConn clientConn;
  /** By address, in resolver order. */
  private Map<Address, Entry> entries = new LinkedHashMap<>();
  private @Nullable Status lastConnectionError;
  private @Nullable ConnectivityState published;
  private boolean closed;

  RoundRobinBalancer(BalancerClientConn clientConn) {
    this.clientConn = clientConn;
  }

  @Override
  public Status updateClientConnState(ClientConnState ccState) {
    if (closed) {
      return Status.UNAVAILABLE.withDescription("round_robin balancer is closed");
    }
    List<Address> addresses = ccState.resolverState().addresses();
    if (addresses.isEmpty()) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "Name resolver returned no addresses for " + clientConn.target());
      resolverError(error);
      return error;
    }
    Map<Address, Entry> next = new LinkedHashMap<>();
    List<Entry> created = new ArrayList<>();
    for (Address address : addresses) {
      if (next.containsKey(address)) {
        continue;
      }
      Entry entry = entries.remove(address);
      if (entry == null) {
        // Health checking (A17) applies: an unhealthy backend is not READY, so it gets no picks.
        entry = new Entry(e -> clientConn.newSubConn(
            List.of(address), new NewSubConnOptions(s -> onSubConnState(e, s), true)));
        created.add(entry);
      }
      next.put(address, entry);
    }
    Map<Address, Entry> removed = entries;
    entries = next;
    for (Entry entry : removed.values()) {
      entry.removed = true;
      entry.subConn.shutdown();
    }
    for (Entry entry : created) {
      entry.subConn.connect();
    }
    updateBalancingState();
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    if (closed) {
      return;
    }
    if (!entries.isEmpty() && published != ConnectivityState.TRANSIENT_FAILURE) {
      return; // the old addresses keep serving
    }
    publish(
        ConnectivityState.TRANSIENT_FAILURE,
        Pickers.error(Pickers.unavailable(error, "Name resolution failed for " + clientConn.target())));
  }

  @Override
  public void exitIdle() {
    // Idle subchannels reconnect as soon as they report IDLE; nothing waits for a call.
  }

  @Override
  public void close() {
    closed = true;
    for (Entry entry : entries.values()) {
      entry.removed = true;
      entry.subConn.shutdown();
    }
    entries = new LinkedHashMap<>();
  }

  private void onSubConnState(Entry entry, SubConnState update) {
    if (closed || entry.removed) {
      return;
    }
    ConnectivityState next = update.state();
    switch (next) {
      case SHUTDOWN -> {
        return;
      }
      case TRANSIENT_FAILURE -> {
        lastConnectionError = update.connectionError();
        clientConn.resolveNow();
      }
      case IDLE -> {
        entry.subConn.connect();
        if (entry.state == ConnectivityState.READY) {
          clientConn.resolveNow(); // the connection dropped
        }
      }
      default -> {}
    }
    if (entry.state == ConnectivityState.TRANSIENT_FAILURE
        && (next == ConnectivityState.CONNECTING || next == ConnectivityState.IDLE)) {
      return; // sticky until READY
    }
    entry.state = next;
    updateBalancingState();
  }

  private void updateBalancingState() {
    List<SubConn> ready = new ArrayList<>();
    boolean connecting = false;
    for (Entry entry : entries.values()) {
      switch (entry.state) {
        case READY -> ready.add(entry.subConn);
        case CONNECTING, IDLE -> connecting = true;
        default -> {}
      }
    }
    if (!ready.isEmpty()) {
      publish(ConnectivityState.READY, new RoundRobinPicker(ready));
    } else if (connecting) {
      publish(ConnectivityState.CONNECTING, Pickers.QUEUE);
    } else {
      publish(
          ConnectivityState.TRANSIENT_FAILURE,
          Pickers.error(
              Pickers.unavailable(
                  lastConnectionError,
                  "Failed to connect to any address of " + clientConn.target())));
    }
  }

  private void publish(ConnectivityState state, Picker picker) {
    published = state;
    clientConn.updateState(new BalancerState(state, picker));
  }

  private static final class Entry {
    final SubConn subConn;
    /** New subchannels are told to connect at once, so they count as connecting. */
    ConnectivityState state = ConnectivityState.IDLE;
    boolean removed;

    /** {@code newSubConn} gets this entry, for its state listener, and makes its subchannel. */
    Entry(Function<Entry, SubConn> newSubConn) {
      this.subConn = newSubConn.apply(this);
    }
  }

  /** Rotates over a fixed list of READY subchannels; lock-free, starts at a random index. */
  static final class RoundRobinPicker implements Picker {
    private final List<PickResult> results;
    private final AtomicInteger index;

    RoundRobinPicker(List<SubConn> ready) {
      List<PickResult> r = new ArrayList<>(ready.size());
      for (SubConn sc : ready) {
        r.add(PickResult.withSubConn(sc));
      }
      this.results = List.copyOf(r);
      this.index = new AtomicInteger(ThreadLocalRandom.current().nextInt(ready.size()));
    }

    @Override
    public PickResult pick(PickInfo info) {
      return results.get(Math.floorMod(index.getAndIncrement(), results.size()));
    }

    @Override
    public String toString() {
      return "RoundRobinPicker" + results;
    }
  }
}
