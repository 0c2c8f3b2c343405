package dev.grpcspring.balancer;

import static dev.grpcspring.ConnectivityState.CONNECTING;
import static dev.grpcspring.ConnectivityState.IDLE;
import static dev.grpcspring.ConnectivityState.READY;
import static dev.grpcspring.ConnectivityState.SHUTDOWN;
import static dev.grpcspring.ConnectivityState.TRANSIENT_FAILURE;
import static dev.grpcspring.balancer.FakeBalancerClientConn.addr;
import static dev.grpcspring.balancer.FakeBalancerClientConn.ccState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.balancer.FakeBalancerClientConn.FakeSubConn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
  private final FakeBalancerClientConn cc = new FakeBalancerClientConn();
  private final Balancer balancer = new RoundRobinBalancerBuilder().build(cc);

  @Test
  void aSubConnPerAddressAllConnectingAtOnce() {
    assertThat(balancer.updateClientConnState(ccState(null, addr(1), addr(2), addr(3), addr(1))).isOk())
        .isTrue();
    assertThat(cc.subConns).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(cc.subConn(i).addresses).containsExactly(addr(i + 1));
      assertThat(cc.subConn(i).connectCount).isEqualTo(1);
      assertThat(cc.subConn(i).healthCheckEnabled).as("round_robin asks for health checking").isTrue();
    }
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
    assertThat(cc.pick().getSubConn()).isNull();
  }

  @Test
  void threeHundredPicksSpreadEvenlyOverThreeReadySubConns() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2), addr(3)));
    cc.subConns.forEach(sc -> sc.setState(CONNECTING));
    cc.subConns.forEach(sc -> sc.setState(READY));
    assertThat(cc.lastState().state()).isEqualTo(READY);
    Map<SubConn, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(cc.pick().getSubConn(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(cc.subConn(0), cc.subConn(1), cc.subConn(2));
    assertThat(counts.values()).containsOnly(100);
  }

  @Test
  void picksRotateEvenlyFromManyThreads() throws Exception {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2), addr(3)));
    cc.subConns.forEach(sc -> sc.setState(READY));
    Picker picker = cc.lastState().picker();
    Map<SubConn, AtomicInteger> counts = new ConcurrentHashMap<>();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 3_000; i++) {
          counts.computeIfAbsent(picker.pick(FakeBalancerClientConn.PICK_INFO).getSubConn(), k -> new AtomicInteger())
              .incrementAndGet();
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(counts.values()).extracting(AtomicInteger::get).containsOnly(4_000);
  }

  @Test
  void picksOnlyReadySubConns() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2), addr(3)));
    cc.subConn(1).setState(READY);
    for (int i = 0; i < 10; i++) {
      assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(1));
    }
    cc.subConn(2).setState(READY);
    cc.subConn(1).fail("gone");
    assertThat(cc.lastState().state()).isEqualTo(READY);
    for (int i = 0; i < 10; i++) {
      assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(2));
    }
  }

  @Test
  void allFailedIsTransientFailureWithTheLastErrorAndAsksForReResolution() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2)));
    cc.subConn(0).fail("refused 1");
    assertThat(cc.lastState().state()).isEqualTo(CONNECTING);
    assertThat(cc.resolveNowCount).isEqualTo(1);
    cc.subConn(1).fail("refused 2");
    assertThat(cc.resolveNowCount).isEqualTo(2);
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    PickResult result = cc.pick();
    assertThat(result.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(result.getStatus().getDescription()).isEqualTo("refused 2");

    // Sticky: a failed subchannel retrying (IDLE -> CONNECTING) keeps the channel in TF.
    cc.subConn(0).setState(IDLE);
    assertThat(cc.subConn(0).connectCount).isEqualTo(2);
    cc.subConn(0).setState(CONNECTING);
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);
    cc.subConn(0).setState(READY);
    assertThat(cc.lastState().state()).isEqualTo(READY);
    assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(0));
  }

  @Test
  void anIdleSubConnReconnectsAtOnce() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2)));
    cc.subConn(0).setState(READY);
    cc.subConn(1).setState(READY);
    int resolves = cc.resolveNowCount;
    cc.subConn(0).setState(IDLE);
    assertThat(cc.subConn(0).connectCount).isEqualTo(2);
    assertThat(cc.resolveNowCount).isEqualTo(resolves + 1);
    assertThat(cc.lastState().state()).isEqualTo(READY);
    for (int i = 0; i < 5; i++) {
      assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(1));
    }
  }

  @Test
  void updatesReuseSubConnsByAddressAndShutDownRemovedOnes() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2), addr(3)));
    cc.subConns.forEach(sc -> sc.setState(READY));
    FakeSubConn sc1 = cc.subConn(0);
    FakeSubConn sc2 = cc.subConn(1);
    FakeSubConn sc3 = cc.subConn(2);

    balancer.updateClientConnState(ccState(null, addr(3), addr(1), addr(4)));
    assertThat(cc.subConns).hasSize(4);
    FakeSubConn sc4 = cc.subConn(3);
    assertThat(sc4.addresses).containsExactly(addr(4));
    assertThat(sc4.connectCount).isEqualTo(1);
    assertThat(sc2.shutdown).isTrue();
    assertThat(sc1.shutdown).isFalse();
    assertThat(sc3.shutdown).isFalse();
    assertThat(sc1.connectCount).isEqualTo(1);

    // The removed one's late updates are ignored; picks use the kept READY ones only.
    sc2.setState(SHUTDOWN);
    Map<SubConn, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      counts.merge(cc.pick().getSubConn(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(sc1, sc3);
    assertThat(counts.values()).containsOnly(50);

    sc4.setState(READY);
    counts.clear();
    for (int i = 0; i < 300; i++) {
      counts.merge(cc.pick().getSubConn(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(sc1, sc3, sc4);
    assertThat(counts.values()).containsOnly(100);
  }

  @Test
  void noAddressesAndResolverErrors() {
    Status status = balancer.updateClientConnState(ccState(null));
    assertThat(status.getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(cc.lastState().state()).isEqualTo(TRANSIENT_FAILURE);

    balancer.updateClientConnState(ccState(null, addr(1)));
    cc.subConn(0).setState(READY);
    int published = cc.states.size();
    balancer.resolverError(Status.UNAVAILABLE.withDescription("dns down"));
    assertThat(cc.states).hasSize(published);
    assertThat(cc.pick().getSubConn()).isSameAs(cc.subConn(0));
  }

  @Test
  void closeShutsEverySubConnDown() {
    balancer.updateClientConnState(ccState(null, addr(1), addr(2)));
    balancer.close();
    assertThat(cc.subConns).allMatch(sc -> sc.shutdown);
    int published = cc.states.size();
    cc.subConn(0).setState(READY);
    assertThat(cc.states).hasSize(published);
    assertThat(List.of(BalancerRegistry.getDefaultRegistry().get("round_robin")))
        .first()
        .isInstanceOf(RoundRobinBalancerBuilder.class);
  }
}
