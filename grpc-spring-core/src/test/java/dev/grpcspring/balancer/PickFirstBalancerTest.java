package dev.grpcspring.balancer;

import static dev.grpcspring.ConnectivityState.CONNECTING;
import static dev.grpcspring.ConnectivityState.IDLE;
import static dev.grpcspring.ConnectivityState.READY;
import static dev.grpcspring.ConnectivityState.SHUTDOWN;
import static dev.grpcspring.ConnectivityState.TRANSIENT_FAILURE;
import static dev.grpcspring.balancer.FakeBalancerClientConn.addr;
import static dev.grpcspring.balancer.FakeBalancerClientConn.ccState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.FakeBalancerClientConn.FakeSubConn;
import dev.grpcspring.resolver.Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PickFirstBalancerTest {
  private final FakeBalancerClientConn cc = new FakeBalancerClientConn();
  private final Balancer balancer = new PickFirstBalancerBuilder().build(cc);

  @Test
  void oneSubConnOverAllAddressesInOrderConnectingThenReady() {
    assertThat(balancer.updateClientConnState(ccState(null, addr(1), addr(2), addr(3))).isOk()).isTrue();

    assertThat(cc.subConns).hasSize(1);
    FakeSubConn sc = cc.subConn(0);
    assertThat(sc.addresses).containsExactly(addr(1), addr(2), addr(3));
    assertThat(sc.connectCount).isEqualTo(1);
    assertThat(sc.healthCheckEnabled).as("pick_first never health-checks (A17)").isFalse();
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
    assertThat(cc.pick().getSubConn()).isNull();
    assertThat(cc.pick().getStatus().isOk()).isTrue();

    sc.setState(CONNECTING);
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
    sc.setState(READY);
    assertThat(cc.lastState().state()).isEqualTo(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(sc);
  }

  @Test
  void aNewAddressListGoesToTheSameSubConn() {
    balancer.updateClientConnState(ccState(null, addr(1)));
    cc.subConn(0).setState(READY);
    balancer.updateClientConnState(ccState(null, addr(2), addr(1)));
    assertThat(cc.subConns).hasSize(1);
    assertThat(cc.subConn(0).addresses).containsExactly(addr(2), addr(1));
    assertThat(cc.subConn(0).shutdown).isFalse();
  }

  @Test
  void transientFailureIsStickyUntilReady() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2)));
    FakeSubConn sc = cc.subConn(0);
    sc.setState(CONNECTING);
    sc.fail("connection refused: host1:1");
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    PickResult failed = cc.pick();
    assertThat(failed.getSubConn()).isNull();
    assertThat(failed.isDrop()).isFalse();
    assertThat(failed.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(failed.getStatus().getDescription()).contains("connection refused: host1:1");
    assertThat(cc.resolveNowCount).isEqualTo(1);

    // After backoff the subchannel goes IDLE: pick_first reconnects at once and stays in TF.
    int published = cc.states.size();
    sc.setState(IDLE);
    assertThat(sc.connectCount).isEqualTo(2);
    sc.setState(CONNECTING);
    assertThat(cc.states).hasSize(published);
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);

    // The next failure replaces the error; still TF.
    sc.fail("connection refused: host2:2");
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    assertThat(cc.pick().getStatus().getDescription()).contains("host2:2");

    sc.setState(READY);
    assertThat(cc.lastState().state()).isEqualTo(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(sc);
  }

  @Test
  void aConnectionErrorWithAnotherCodeStillFailsCallsWithUnavailable() {
    balancer.updateClientConnState(ccState(null, addr(1)));
    cc.subConn(0).listener.onStateChange(
        new SubConnState(TRANSIENT_FAILURE, Status.INTERNAL.withDescription("handshake broke")));
    Status status = cc.pick().getStatus();
    assertThat(status.getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("INTERNAL").contains("handshake broke");
  }

  @Test
  void idleAfterADropPublishesAPickerThatReconnectsOnTheNextPick() {
    balancer.updateClientConnState(ccState(null, addr(1)));
    FakeSubConn sc = cc.subConn(0);
    sc.setState(READY);
    int resolves = cc.resolveNowCount;

    sc.setState(IDLE);
    assertThat(cc.lastState().state()).isEqualTo(IDLE);
    assertThat(cc.resolveNowCount).isEqualTo(resolves + 1);
    assertThat(sc.connectCount).isEqualTo(1);

    PickResult queued = cc.pick();
    assertThat(queued.getSubConn()).isNull();
    assertThat(queued.getStatus().isOk()).isTrue();
    assertThat(sc.connectCount).isEqualTo(2);
    cc.pick();
    assertThat(sc.connectCount).isEqualTo(2); // one connect per idle picker

    sc.setState(CONNECTING);
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
    sc.setState(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(sc);
  }

  @Test
  void exitIdleConnectsAnIdleSubConn() {
    balancer.updateClientConnState(ccState(null, addr(1)));
    FakeSubConn sc = cc.subConn(0);
    sc.setState(READY);
    sc.setState(IDLE);
    balancer.exitIdle();
    assertThat(sc.connectCount).isEqualTo(2);
    sc.setState(CONNECTING);
    balancer.exitIdle(); // not idle: nothing
    assertThat(sc.connectCount).isEqualTo(2);
  }

  @Test
  void noAddressesIsAnErrorThatPutsANewChannelInTransientFailure() {
    Status status = balancer.updateClientConnState(ccState(null));
    assertThat(status.getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("no addresses").contains("fake:///target");
    assertThat(cc.subConns).isEmpty();
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    assertThat(cc.pick().getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
  }

  @Test
  void resolverErrorsAreIgnoredWhileTheSubConnWorks() {
    balancer.resolverError(Status.UNAVAILABLE.withDescription("dns down"));
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    assertThat(cc.pick().getStatus().getDescription()).isEqualTo("dns down");

    balancer.updateClientConnState(ccState(null, addr(1)));
    cc.subConn(0).setState(READY);
    int published = cc.states.size();
    balancer.resolverError(Status.UNAVAILABLE.withDescription("dns down again"));
    assertThat(cc.states).hasSize(published);
    assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(0));
  }

  @Test
  void closeShutsTheSubConnDownAndIgnoresLateUpdates() {
    balancer.updateClientConnState(ccState(null, addr(1)));
    FakeSubConn sc = cc.subConn(0);
    balancer.close();
    assertThat(sc.shutdown).isTrue();
    int published = cc.states.size();
    sc.setState(SHUTDOWN);
    sc.setState(READY);
    assertThat(cc.states).hasSize(published);
  }

  @Test
  void shuffleAddressListShufflesEachUpdate() {
    PickFirstBalancerBuilder builder = new PickFirstBalancerBuilder(() -> new Random(42));
    Object config = builder.parseConfig(Map.of("shuffleAddressList", true));
    Address[] addresses = new Address[20];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = addr(i + 1);
    }
    Balancer shuffling = builder.build(cc);
    shuffling.updateClientConnState(ccState(config, addresses));
    List<Address> got = cc.subConn(0).addresses;
    assertThat(got).containsExactlyInAnyOrder(addresses).isNotEqualTo(List.of(addresses));
    List<Address> expected = new ArrayList<>(List.of(addresses));
    java.util.Collections.shuffle(expected, new Random(42));
    assertThat(got).isEqualTo(expected);

    Set<List<Address>> orders = new HashSet<>();
    PickFirstBalancerBuilder realRandom = new PickFirstBalancerBuilder();
    Object cfg = realRandom.parseConfig(Map.of("shuffleAddressList", true));
    for (int i = 0; i < 5; i++) {
      FakeBalancerClientConn other = new FakeBalancerClientConn();
      realRandom.build(other).updateClientConnState(ccState(cfg, addresses));
      orders.add(other.subConn(0).addresses);
    }
    assertThat(orders).hasSizeGreaterThan(1);
  }

  @Test
  void configParsing() {
    PickFirstBalancerBuilder builder = new PickFirstBalancerBuilder();
    assertThat(builder.parseConfig(Map.of())).isEqualTo(PickFirstBalancerBuilder.PickFirstConfig.DEFAULT);
    assertThat(builder.parseConfig(Map.of("shuffleAddressList", false)).shuffleAddressList()).isFalse();
    assertThatThrownBy(() -> builder.parseConfig(Map.of("shuffleAddressList", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shuffleAddressList");
  }

  @Test
  void registeredByDefault() {
    assertThat(BalancerRegistry.getDefaultRegistry().get("pick_first"))
        .isInstanceOf(PickFirstBalancerBuilder.class);
    assertThat(BalancerRegistry.getDefaultRegistry().get("PICK_FIRST")).isNull();
  }
}
