package dev.grpcspring.balancer;

import dev.grpcspring.CallOptions;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.ResolverState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel stand-in for balancer tests: records subchannels, published states and re-resolution
 * requests; tests drive subchannel states by hand. Single-threaded, like the real serializer.
 */
final class FakeBalancerClientConn implements BalancerClientConn {
  final List<FakeSubConn> subConns = new ArrayList<>();
  final List<BalancerState> states = new ArrayList<>();
  int resolveNowCount;

  @Override
  public SubConn newSubConn(List<Address> addresses, NewSubConnOptions options) {
    FakeSubConn sc = new FakeSubConn(subConns.size(), addresses, options.stateListener());
    sc.healthCheckEnabled = options.healthCheckEnabled();
    subConns.add(sc);
    return sc;
  }

  @Override
  public void updateState(BalancerState state) {
    states.add(state);
  }

  @Override
  public void resolveNow() {
    resolveNowCount++;
  }

  @Override
  public String target() {
    return "fake:///target";
  }

  BalancerState lastState() {
    if (states.isEmpty()) {
      throw new AssertionError("No state published yet");
    }
    return states.get(states.size() - 1);
  }

  PickResult pick() {
    return lastState().picker().pick(PICK_INFO);
  }

  FakeSubConn subConn(int i) {
    return subConns.get(i);
  }

  static final PickInfo PICK_INFO = new PickInfo("svc/Method", new Metadata(), CallOptions.DEFAULT);

  static Address addr(int port) {
    return Address.of(InetSocketAddress.createUnresolved("host" + port, port));
  }

  static ClientConnState ccState(Object config, Address... addresses) {
    return new ClientConnState(ResolverState.of(List.of(addresses)), config);
  }

  /** A subchannel whose state the test sets; records connect and shutdown calls. */
  static final class FakeSubConn implements SubConn {
    final int id;
    final SubConnStateListener listener;
    List<Address> addresses;
    int connectCount;
    boolean shutdown;
    boolean healthCheckEnabled;

    FakeSubConn(int id, List<Address> addresses, SubConnStateListener listener) {
      this.id = id;
      this.addresses = List.copyOf(addresses);
      this.listener = listener;
    }

    @Override
    public void connect() {
      connectCount++;
    }

    @Override
    public void updateAddresses(List<Address> addresses) {
      this.addresses = List.copyOf(addresses);
    }

    @Override
    public List<Address> getAddresses() {
      return addresses;
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    void setState(ConnectivityState state) {
      listener.onStateChange(SubConnState.of(state));
    }

    void fail(String why) {
      listener.onStateChange(
          new SubConnState(ConnectivityState.TRANSIENT_FAILURE, Status.UNAVAILABLE.withDescription(why)));
    }

    @Override
    public String toString() {
      return "FakeSubConn#" + id;
    }
  }
}
