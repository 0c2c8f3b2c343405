package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grpcspring.etcd.EtcdClient;
import dev.grpcspring.etcd.EtcdProcess;
import dev.grpcspring.etcd.v3.RangeRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code grpc.server.registration} where etcd or the server cannot play along: a hung etcd holds
 * the shutdown for {@code deregister-timeout} only, and a server with only an in-process
 * listener starts and registers nothing.
 */
@Timeout(90)
class EtcdRegistrationEdgesTest {

  private static ConfigurableApplicationContext server(EtcdProcess etcd, String service,
      String... more) {
    String[] common = {"--grpc.server.shutdown.grace-period=5s",
        "--grpc.etcd.endpoints=" + etcd.endpoint(),
        "--grpc.server.registration.enabled=true",
        "--grpc.server.registration.service=" + service,
        // EchoCaller needs a channel; these servers never call it.
        "--grpc.client.channel.echo.target=127.0.0.1:1"};
    String[] args = new String[common.length + more.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(more, 0, args, common.length, more.length);
    return new SpringApplicationBuilder(EchoApplication.class).run(args);
  }

  private static long keys(EtcdClient etcd, String service) throws Exception {
    ByteString prefix = ByteString.copyFromUtf8(service + "/");
    return etcd.kvFuture().range(RangeRequest.newBuilder().setKey(prefix)
        .setRangeEnd(EtcdClient.prefixEnd(prefix)).build()).get(10, TimeUnit.SECONDS).getCount();
  }

  private static void awaitKeys(EtcdClient etcd, String service, long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (keys(etcd, service) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20); // registration is asynchronous and offers nothing to wait on
    }
    assertThat(keys(etcd, service)).isEqualTo(expected);
  }

  private static long millisToClose(ConfigurableApplicationContext context) {
    long start = System.nanoTime();
    context.close();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void aHungEtcdHoldsTheShutdownForTheDeregisterTimeoutOnly() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        EtcdClient direct = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build()) {
      ConfigurableApplicationContext quick = server(etcd, "hung-a", "--grpc.server.port=0",
          "--grpc.server.address=127.0.0.1", "--grpc.server.registration.deregister-timeout=200ms");
      ConfigurableApplicationContext patient = server(etcd, "hung-b", "--grpc.server.port=0",
          "--grpc.server.address=127.0.0.1", "--grpc.server.registration.deregister-timeout=2s");
      awaitKeys(direct, "hung-a", 1);
      awaitKeys(direct, "hung-b", 1);
      etcd.pause();
      try {
        assertThat(millisToClose(quick)).isLessThan(1500);
        assertThat(millisToClose(patient)).isBetween(1900L, 4000L);
      } finally {
        quick.close();
        patient.close();
        etcd.resume();
      }
    }
  }

  @Test
  void aServerWithOnlyAnInProcessListenerStartsAndRegistersNothing() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        EtcdClient direct = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build();
        ConfigurableApplicationContext context = server(etcd, "in-process-only",
            "--grpc.server.port=-1", "--grpc.server.in-process.name=only")) {
      assertThat(context.isRunning()).isTrue();
      assertThat(context.containsBean("grpcEtcdServerRegistrar")).isTrue();
      // A registration would have been written by now: the other test's appear within
      // milliseconds of the start.
      Thread.sleep(300);
      assertThat(keys(direct, "in-process-only")).isZero();
    }
  }
}
