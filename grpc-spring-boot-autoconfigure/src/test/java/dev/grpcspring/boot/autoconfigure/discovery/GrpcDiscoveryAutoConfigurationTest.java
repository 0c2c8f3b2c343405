package dev.grpcspring.boot.autoconfigure.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Channel;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.discovery.DiscoveryClientResolverBuilder;
import dev.grpcspring.boot.discovery.EchoBackend;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code discovery:///orders} from YAML with Spring Cloud's simple DiscoveryClient: calls reach
 * grpc-java servers on loopback at the metadata port, heartbeats and the refresh interval make the
 * channel follow the registry, and without Spring Cloud the target fails startup saying what to add.
 */
@Timeout(60)
class GrpcDiscoveryAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
          CompositeDiscoveryClientAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
          GrpcClientAutoConfiguration.class, GrpcDiscoveryAutoConfiguration.class))
      .withInitializer(ctx -> {
        try {
          for (PropertySource<?> source : new YamlPropertySourceLoader()
              .load("discovery.yml", new ClassPathResource("discovery.yml"))) {
            ctx.getEnvironment().getPropertySources().addLast(source);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });

  /** Dials the channel at startup, as a stub bean would. */
  @Configuration(proxyBeanMethods = false)
  static class OrdersClient {
    @Bean
    Channel ordersChannel(GrpcChannelFactory channels) {
      return channels.getChannel("orders", List.of());
    }
  }

  private static void echo(Channel channel) {
    assertThat(EchoServiceGrpc.newBlockingStub(channel).withWaitForReady()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .echo(EchoRequest.newBuilder().setText("x").build()).getText()).isEqualTo("x");
  }

  private static void callUntilUsed(Channel channel, EchoBackend backend) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int before = backend.calls.get();
    while (backend.calls.get() == before) {
      assertThat(System.nanoTime()).as("backend on port %d used", backend.port()).isLessThan(deadline);
      echo(channel);
    }
  }

  /** Replaces the simple registry's instances of orders, as a registry's own update would. */
  private static void register(SimpleDiscoveryProperties simple, EchoBackend... backends) {
    List<InstanceProperties> list = new java.util.ArrayList<>();
    for (EchoBackend b : backends) {
      InstanceProperties instance = new InstanceProperties();
      instance.setServiceId("orders");
      instance.setUri(URI.create("http://127.0.0.1:1"));
      instance.setMetadata(Map.of("gRPC_port", String.valueOf(b.port())));
      list.add(instance);
    }
    simple.getInstances().put("orders", list);
  }

  @Test
  void aDiscoveryTargetFromYamlReachesTheInstanceOnItsMetadataPort() throws Exception {
    try (EchoBackend a = new EchoBackend()) {
      runner.withUserConfiguration(OrdersClient.class)
          .withPropertyValues("test.orders-a-port=" + a.port())
          .run(ctx -> {
            assertThat(ctx).hasNotFailed();
            echo(ctx.getBean("ordersChannel", Channel.class));
            // The instance's own port is 1, where nothing listens: the call went to gRPC_port.
            assertThat(a.calls.get()).isEqualTo(1);
            assertThat(ctx.getBean(DiscoveryClientResolverBuilder.class).liveResolvers()).isEqualTo(1);
          });
    }
  }

  @Test
  void aHeartbeatWithANewStateMakesChannelsFollowTheRegistry() throws Exception {
    try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend();
        EchoBackend c = new EchoBackend()) {
      runner.withUserConfiguration(OrdersClient.class)
          .withPropertyValues("test.orders-a-port=" + a.port(),
              // Only the heartbeats refresh: the simple registry publishes none by itself.
              "grpc.client.discovery.refresh-interval=0")
          .run(ctx -> {
            Channel orders = ctx.getBean("ordersChannel", Channel.class);
            echo(orders);
            assertThat(a.calls.get()).isEqualTo(1);
            SimpleDiscoveryProperties simple = ctx.getBean(SimpleDiscoveryProperties.class);

            register(simple, b);
            ctx.publishEvent(new HeartbeatEvent(this, 1L));
            callUntilUsed(orders, b);

            // The same state again says nothing changed: the registry is not asked.
            register(simple, c);
            ctx.publishEvent(new HeartbeatEvent(this, 1L));
            Thread.sleep(300);
            int bCalls = b.calls.get();
            for (int i = 0; i < 10; i++) {
              echo(orders);
            }
            assertThat(b.calls.get() - bCalls).isEqualTo(10);
            assertThat(c.calls.get()).isZero();

            ctx.publishEvent(new HeartbeatEvent(this, 2L));
            callUntilUsed(orders, c);
          });
    }
  }

  @Test
  void theRefreshIntervalFindsNewInstancesWithoutHeartbeats() throws Exception {
    try (EchoBackend a = new EchoBackend(); EchoBackend b = new EchoBackend()) {
      runner.withUserConfiguration(OrdersClient.class)
          .withPropertyValues("test.orders-a-port=" + a.port(),
              "grpc.client.discovery.refresh-interval=200ms")
          .run(ctx -> {
            Channel orders = ctx.getBean("ordersChannel", Channel.class);
            echo(orders);
            register(ctx.getBean(SimpleDiscoveryProperties.class), a, b);
            callUntilUsed(orders, b);
            callUntilUsed(orders, a);
          });
    }
  }

  @Test
  void targetsWithoutASchemeStayPassthrough() throws Exception {
    try (EchoBackend a = new EchoBackend()) {
      runner.withUserConfiguration(OrdersClient.class)
          .withPropertyValues("test.orders-a-port=1",
              "grpc.client.channel.orders.target=127.0.0.1:" + a.port())
          .run(ctx -> {
            // Were discovery the default scheme, this would look up a service named 127.0.0.1:port.
            echo(ctx.getBean("ordersChannel", Channel.class));
            assertThat(a.calls.get()).isEqualTo(1);
            assertThat(ctx.getBean(DiscoveryClientResolverBuilder.class).liveResolvers()).isZero();
          });
    }
  }

  @Test
  void aNegativeRefreshIntervalFailsStartup() {
    runner.withPropertyValues("test.orders-a-port=1", "grpc.client.discovery.refresh-interval=-1s")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
            .hasMessageContaining("grpc.client.discovery.refresh-interval must be 0 (off) or positive"));
  }

  @Test
  void withoutSpringCloudADiscoveryTargetFailsStartupSayingWhatToAdd() {
    new ApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader("org.springframework.cloud"))
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class,
            GrpcDiscoveryAutoConfiguration.class))
        .withUserConfiguration(OrdersClient.class)
        .withPropertyValues("grpc.client.channel.orders.target=discovery:///orders")
        .run(ctx -> {
          assertThat(ctx).hasFailed().getFailure().rootCause()
              .hasMessageContaining("gRPC channel 'orders' targets 'discovery:///orders'")
              .hasMessageContaining("org.springframework.cloud:spring-cloud-commons")
              .hasMessageContaining("DiscoveryClient bean");
        });
  }

  @Test
  void withSpringCloudButNoDiscoveryClientTheTargetFailsStartupToo() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class,
            GrpcDiscoveryAutoConfiguration.class))
        .withUserConfiguration(OrdersClient.class)
        .withPropertyValues("grpc.client.channel.orders.target=discovery:///orders")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
            .hasMessageContaining("needs Spring Cloud's DiscoveryClient"));
  }

  @Test
  void anEtcdTargetWithoutEtcdFailsStartupSayingWhatToSet() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withUserConfiguration(OrdersClient.class)
        .withPropertyValues("grpc.client.channel.orders.target=etcd:///orders")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
            .hasMessageContaining("needs an etcd cluster: set grpc.etcd.endpoints"));
  }
}
