package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grpcspring.boot.server.GrpcServerStartedEvent;
import dev.grpcspring.etcd.EtcdClient;
import dev.grpcspring.etcd.EtcdProcess;
import dev.grpcspring.etcd.v3.RangeRequest;
import dev.grpcspring.server.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code grpc.server.registration.*} registers servers in a real etcd and {@code
 * grpc.client.channel.echo.target: etcd:///echo-svc} spreads calls over them with round_robin.
 */
@Timeout(120)
class EtcdNamingEndToEndTest {

  private record ServerApp(ConfigurableApplicationContext context, Server server) {}

  private static ServerApp serverApp(EtcdProcess etcd) {
    AtomicReference<Server> server = new AtomicReference<>();
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(EchoApplication.class)
        .listeners((ApplicationListener<GrpcServerStartedEvent>) e -> server.set(e.getServer()))
        .run("--grpc.server.port=0", "--grpc.server.address=127.0.0.1",
            "--grpc.server.shutdown.grace-period=5s",
            "--grpc.etcd.endpoints=http://" + etcd.endpoint(),
            "--grpc.server.registration.enabled=true",
            "--grpc.server.registration.service=echo-svc",
            "--grpc.server.registration.ttl=5s",
            "--grpc.server.registration.metadata.zone=test",
            // EchoCaller needs a channel; these servers never call it.
            "--grpc.client.channel.echo.target=127.0.0.1:1");
    return new ServerApp(ctx, server.get());
  }

  private static long keys(EtcdClient etcd) throws Exception {
    return etcd.kvFuture().range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("echo-svc/"))
        .setRangeEnd(EtcdClient.prefixEnd(ByteString.copyFromUtf8("echo-svc/")))
        .build()).get(10, TimeUnit.SECONDS).getCount();
  }

  private static void awaitKeys(EtcdClient etcd, long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (keys(etcd) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20); // registration is asynchronous and offers nothing to wait on
    }
    assertThat(keys(etcd)).isEqualTo(expected);
  }

  @Test
  void etcdTargetsFromYamlSpreadOverRegisteredServersWhichDeregisterOnShutdown() throws Exception {
    List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    try (EtcdProcess etcd = EtcdProcess.start();
        EtcdClient direct = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build()) {
      ServerApp a = serverApp(etcd);
      contexts.add(a.context());
      ServerApp b = serverApp(etcd);
      contexts.add(b.context());
      awaitKeys(direct, 2);
      String value = direct.kvFuture().range(RangeRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("echo-svc/127.0.0.1:" + a.server().getPort())).build())
          .get(10, TimeUnit.SECONDS).getKvs(0).getValue().toStringUtf8();
      assertThat(value).isEqualTo("{\"Op\":0,\"Addr\":\"127.0.0.1:" + a.server().getPort()
          + "\",\"Metadata\":{\"zone\":\"test\"}}");

      ConfigurableApplicationContext client = new SpringApplicationBuilder(EchoApplication.class)
          .run("--grpc.server.enabled=false",
              "--grpc.etcd.endpoints=" + etcd.endpoint(),
              "--grpc.client.channel.echo.target=etcd:///echo-svc",
              "--grpc.client.channel.echo.load-balancing-policy=round_robin");
      contexts.add(client);
      EchoCaller caller = client.getBean(EchoCaller.class);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((a.server().channelz().calls().callsSucceeded() == 0
          || b.server().channelz().calls().callsSucceeded() == 0) && System.nanoTime() < deadline) {
        assertThat(caller.echo("warm")).isEqualTo("warm");
      }
      long a0 = a.server().channelz().calls().callsSucceeded();
      long b0 = b.server().channelz().calls().callsSucceeded();
      for (int i = 0; i < 200; i++) {
        assertThat(caller.echo("x" + i)).isEqualTo("x" + i);
      }
      assertThat(a.server().channelz().calls().callsSucceeded() - a0).isBetween(95L, 105L);
      assertThat(b.server().channelz().calls().callsSucceeded() - b0).isBetween(95L, 105L);

      // Closing a server's context deregisters it before GOAWAY: no call fails, none reaches it.
      a.context().close();
      assertThat(keys(direct)).isEqualTo(1);
      long aAfter = a.server().channelz().calls().callsSucceeded();
      long bBefore = b.server().channelz().calls().callsSucceeded();
      for (int i = 0; i < 100; i++) {
        assertThat(caller.echo("y" + i)).isEqualTo("y" + i);
      }
      // A server counts a call when its handler ends, which may be just after the client has the
      // response: wait for b's count, then check that a's did not move.
      long counted = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (b.server().channelz().calls().callsSucceeded() - bBefore < 100 && System.nanoTime() < counted) {
        Thread.sleep(10);
      }
      assertThat(b.server().channelz().calls().callsSucceeded() - bBefore).isEqualTo(100);
      assertThat(a.server().channelz().calls().callsSucceeded()).isEqualTo(aAfter);
    } finally {
      for (ConfigurableApplicationContext c : contexts) {
        c.close();
      }
    }
  }
}
