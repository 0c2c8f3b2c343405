package dev.grpcspring.balancer;

import static dev.grpcspring.ConnectivityState.CONNECTING;
import static dev.grpcspring.ConnectivityState.IDLE;
import static dev.grpcspring.ConnectivityState.READY;
import static dev.grpcspring.ConnectivityState.TRANSIENT_FAILURE;
import static dev.grpcspring.balancer.FakeBalancerClientConn.addr;
import static dev.grpcspring.balancer.FakeBalancerClientConn.ccState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Status;
import dev.grpcspring.balancer.FakeBalancerClientConn.FakeSubConn;
import org.junit.jupiter.api.Test;

class GracefulSwitchBalancerTest {
  private final FakeBalancerClientConn cc = new FakeBalancerClientConn();
  private final GracefulSwitchBalancer gsb = new GracefulSwitchBalancer(cc);

  /** pick_first on addr(1) and READY: subConn(0) serves. */
  private FakeSubConn readyPickFirst() {
    gsb.switchTo(new PickFirstBalancerBuilder());
    assertThat(gsb.currentPolicyName()).isEqualTo("pick_first");
    gsb.updateClientConnState(ccState(null, addr(1)));
    FakeSubConn old = cc.subConn(0);
    old.setState(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(old);
    return old;
  }

  @Test
  void theOldPolicyServesUntilTheNewOneLeavesConnecting() {
    FakeSubConn old = readyPickFirst();

    gsb.switchTo(new RoundRobinBalancerBuilder());
    assertThat(gsb.latestPolicyName()).isEqualTo("round_robin");
    assertThat(gsb.currentPolicyName()).isEqualTo("pick_first");
    gsb.updateClientConnState(ccState(null, addr(1), addr(2)));
    // Updates go to the pending policy, which connects while the old one keeps serving.
    assertThat(cc.subConns).hasSize(3);
    assertThat(cc.lastState().state()).isEqualTo(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(old);
    assertThat(old.shutdown).isFalse();

    FakeSubConn rr1 = cc.subConn(1);
    FakeSubConn rr2 = cc.subConn(2);
    rr1.setState(CONNECTING);
    assertThat(cc.pick().getSubConn()).isSameAs(old);

    rr1.setState(READY);
    assertThat(gsb.currentPolicyName()).isEqualTo("round_robin");
    assertThat(old.shutdown).isTrue();
    assertThat(cc.lastState().state()).isEqualTo(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(rr1);
    rr2.setState(READY);
    assertThat(cc.pick().getSubConn()).isIn(rr1, rr2);
  }

  @Test
  void swapsAtOnceWhenTheOldPolicyIsNotReady() {
    gsb.switchTo(new PickFirstBalancerBuilder());
    gsb.updateClientConnState(ccState(null, addr(1)));
    FakeSubConn old = cc.subConn(0);
    old.fail("down");
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);

    gsb.switchTo(new RoundRobinBalancerBuilder());
    gsb.updateClientConnState(ccState(null, addr(2)));
    // round_robin's first CONNECTING is enough: the old policy had nothing to offer.
    assertThat(gsb.currentPolicyName()).isEqualTo("round_robin");
    assertThat(old.shutdown).isTrue();
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
  }

  @Test
  void swapsWhenTheOldPolicyLeavesReadyWhilePending() {
    FakeSubConn old = readyPickFirst();
    gsb.switchTo(new RoundRobinBalancerBuilder());
    gsb.updateClientConnState(ccState(null, addr(2)));
    assertThat(gsb.currentPolicyName()).isEqualTo("pick_first");

    old.setState(IDLE);
    assertThat(gsb.currentPolicyName()).isEqualTo("round_robin");
    assertThat(old.shutdown).isTrue();
    // The pending policy's last state (CONNECTING) is what the channel now shows.
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
    cc.subConn(1).setState(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(1));
  }

  @Test
  void aNewerSwitchAbandonsTheOlderPendingOne() {
    FakeSubConn old = readyPickFirst();
    gsb.switchTo(new RoundRobinBalancerBuilder());
    gsb.updateClientConnState(ccState(null, addr(2)));
    FakeSubConn abandoned = cc.subConn(1);
    gsb.switchTo(new PickFirstBalancerBuilder());
    assertThat(abandoned.shutdown).isTrue();
    assertThat(old.shutdown).isFalse();
    // The abandoned policy's late updates change nothing.
    int published = cc.states.size();
    abandoned.setState(READY);
    assertThat(cc.states).hasSize(published);

    gsb.updateClientConnState(ccState(null, addr(3)));
    cc.subConn(2).setState(READY);
    assertThat(old.shutdown).isTrue();
    assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(2));
  }

  @Test
  void resolverErrorsAndExitIdleGoToTheLatestPolicyAndCloseClosesBoth() {
    FakeSubConn old = readyPickFirst();
    gsb.switchTo(new PickFirstBalancerBuilder());
    gsb.resolverError(Status.UNAVAILABLE.withDescription("dns down"));
    // The pending pick_first has no subchannel, so it goes TF, which swaps it in.
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    assertThat(old.shutdown).isTrue();

    gsb.updateClientConnState(ccState(null, addr(5)));
    FakeSubConn fresh = cc.subConn(1);
    fresh.setState(READY);
    fresh.setState(IDLE);
    gsb.exitIdle();
    assertThat(fresh.connectCount).isEqualTo(2);
    gsb.close();
    assertThat(fresh.shutdown).isTrue();
    assertThat(gsb.updateClientConnState(ccState(null, addr(1))).isOk()).isFalse();
  }
}
