package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.discovery.DiscoveryClientResolverBuilder;
import dev.grpcspring.boot.discovery.EchoBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole application (every auto-configuration, Spring Cloud commons 5.0.4 on Boot 4.1 with its
 * compatibility check) calls {@code discovery:///orders} through the simple DiscoveryClient.
 */
@Timeout(60)
class DiscoveryNamingEndToEndTest {

  @Test
  void anApplicationCallsTheInstancesItsDiscoveryClientLists() throws Exception {
    try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend();
        ConfigurableApplicationContext client = new SpringApplicationBuilder(EchoApplication.class)
            .run("--grpc.server.enabled=false",
                "--spring.cloud.discovery.client.simple.instances.orders[0].uri=http://127.0.0.1:" + a.port(),
                "--spring.cloud.discovery.client.simple.instances.orders[1].uri=http://127.0.0.1:1",
                "--spring.cloud.discovery.client.simple.instances.orders[1].metadata.gRPC_port=" + b.port(),
                "--grpc.client.channel.echo.target=discovery:///orders",
                "--grpc.client.channel.echo.load-balancing-policy=round_robin")) {
      EchoCaller caller = client.getBean(EchoCaller.class);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while ((a.calls.get() == 0 || b.calls.get() == 0) && System.nanoTime() < deadline) {
        assertThat(caller.echo("warm")).isEqualTo("warm");
      }
      int a0 = a.calls.get();
      int b0 = b.calls.get();
      for (int i = 0; i < 20; i++) {
        assertThat(caller.echo("x" + i)).isEqualTo("x" + i);
      }
      assertThat(a.calls.get() - a0).isEqualTo(10);
      assertThat(b.calls.get() - b0).isEqualTo(10);
      assertThat(client.getBean(DiscoveryClientResolverBuilder.class).liveResolvers()).isEqualTo(1);
    }
  }
}
