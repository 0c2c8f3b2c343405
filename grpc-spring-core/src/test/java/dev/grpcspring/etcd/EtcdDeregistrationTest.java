package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deregistration when etcd cannot answer: bounded, so that it holds up no server shutdown. */
@Timeout(60)
class EtcdDeregistrationTest {

  private static long millisToDeregister(EtcdRegistration registration) {
    long start = System.nanoTime();
    registration.deregister();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static EtcdRegistration registered(EtcdClient client, Duration deregisterTimeout)
      throws InterruptedException {
    EtcdRegistration registration = EtcdRegistration.newBuilder(client, "dereg/svc")
        .deregisterTimeout(deregisterTimeout).build()
        .registerHostPorts(List.of("127.0.0.1:1"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!registration.isRegistered() && System.nanoTime() < deadline) {
      Thread.sleep(10); // registration is asynchronous and offers nothing to wait on
    }
    assertThat(registration.isRegistered()).isTrue();
    return registration;
  }

  @Test
  void aHungEtcdHoldsDeregistrationOnlyForTheTimeout() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        EtcdClient client = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build()) {
      EtcdRegistration registration = registered(client, Duration.ofMillis(500));
      etcd.pause();
      try {
        assertThat(millisToDeregister(registration)).isBetween(400L, 1500L);
      } finally {
        etcd.resume();
      }
    }
  }

  @Test
  void aDeadEtcdHoldsDeregistrationNoTimeAtAll() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        EtcdClient client = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build()) {
      EtcdRegistration registration = registered(client, Duration.ofSeconds(5));
      etcd.kill();
      assertThat(millisToDeregister(registration)).isLessThan(1000L);
    }
  }
}
