package dev.grpcspring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.client.GrpcGlobalClientInterceptor;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.serviceconfig.ServiceConfig;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class GrpcClientAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
      .withPropertyValues("grpc.client.channel.default.target=localhost:1");

  static class Clients {
    @GrpcClient("echo")
    EchoServiceGrpc.EchoServiceBlockingStub blocking;

    EchoServiceGrpc.EchoServiceFutureStub future;

    @GrpcClient("echo")
    Channel channel;

    @GrpcClient("other")
    ClientConn connection;

    final EchoServiceGrpc.EchoServiceStub async;

    Clients(@GrpcClient("echo") EchoServiceGrpc.EchoServiceStub async) {
      this.async = async;
    }

    @GrpcClient("echo")
    void setFuture(EchoServiceGrpc.EchoServiceFutureStub future) {
      this.future = future;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ClientsConfig {
    @Bean
    Clients clients(@GrpcClient("echo") EchoServiceGrpc.EchoServiceStub async) {
      return new Clients(async);
    }
  }

  @Test
  void injectsStubsChannelsAndConnectionsInEveryPosition() {
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues("grpc.client.channel.other.target=dns:///localhost:2")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(DefaultGrpcChannelFactory.class);
          Clients c = ctx.getBean(Clients.class);
          assertThat(c.blocking).isNotNull();
          assertThat(c.future).isNotNull();
          assertThat(c.async).isNotNull();
          assertThat(c.channel).isNotNull();
          assertThat(c.connection.target()).isEqualTo("dns:///localhost:2");
          assertThat(ctx.getBean(DefaultGrpcChannelFactory.class).getChannelNames())
              .containsExactlyInAnyOrder("echo", "other");
        });
  }

  @Test
  void missingTargetFailsStartupNamingTheProperty() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withUserConfiguration(ClientsConfig.class)
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .rootCause()
            .hasMessageContaining("grpc.client.channel.echo.target"));
  }

  @Test
  void disabledByProperty() {
    runner.withPropertyValues("grpc.client.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcChannelFactory.class));
  }

  @Test
  void backsOffWithoutTheRuntime() {
    runner.withClassLoader(new FilteredClassLoader(ClientConn.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcChannelFactory.class));
  }

  @Test
  void backsOffForAUserFactory() {
    GrpcChannelFactory own = new GrpcChannelFactory() {
      @Override
      public Channel getConnection(String name) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Channel getChannel(String name, List<ClientInterceptor> extra) {
        throw new UnsupportedOperationException();
      }
    };
    runner.withBean(GrpcChannelFactory.class, () -> own)
        .run(ctx -> assertThat(ctx).getBean(GrpcChannelFactory.class).isSameAs(own));
  }

  @Test
  void propertiesBecomeDialOptions() {
    runner.withPropertyValues(
            "grpc.client.channel.default.user-agent=agent/1",
            "grpc.client.channel.default.compression=gzip",
            "grpc.client.channel.x.authority=svc.example",
            "grpc.client.channel.x.idle-timeout=90s",
            "grpc.client.channel.x.default-scheme=dns",
            "grpc.client.channel.x.load-balancing-policy=round_robin",
            "grpc.client.channel.x.wait-for-ready=true",
            "grpc.client.channel.x.inbound.message.max-size=1KB",
            "grpc.client.channel.x.outbound.message.max-size=2KB",
            "grpc.client.channel.x.inbound.metadata.max-size=16KB",
            "grpc.client.channel.x.flow-control-window=256KB",
            "grpc.client.channel.x.backoff.base-delay=50ms",
            "grpc.client.channel.x.backoff.max-delay=2s",
            "grpc.client.channel.x.backoff.min-connect-timeout=3s",
            "grpc.client.channel.x.retry-enabled=false",
            "grpc.client.channel.x.resolver-service-config-enabled=false")
        .run(ctx -> {
          DefaultGrpcChannelFactory factory = ctx.getBean(DefaultGrpcChannelFactory.class);
          ChannelProperties p = new ChannelPropertiesResolver(ctx.getEnvironment()).resolve("x");
          DialOptions o = factory.dialOptions("x", p).build();
          assertThat(o.authority()).isEqualTo("svc.example");
          assertThat(o.userAgent()).isEqualTo("agent/1");
          assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
          assertThat(o.defaultScheme()).isEqualTo("dns");
          assertThat(o.defaultServiceConfig())
              .isEqualTo(ServiceConfig.parse("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}"));
          CallOptions call = o.defaultCallOptions();
          assertThat(call.isWaitForReady()).isTrue();
          assertThat(call.getCompressor()).isEqualTo("gzip");
          assertThat(call.getMaxInboundMessageSize()).isEqualTo(1024);
          assertThat(call.getMaxOutboundMessageSize()).isEqualTo(2048);
          assertThat(o.maxHeaderListSize()).isEqualTo(16 * 1024);
          assertThat(o.initialWindowSize()).isEqualTo(256 * 1024);
          assertThat(o.initialConnWindowSize()).isEqualTo(256 * 1024);
          assertThat(o.initialBackoff()).isEqualTo(Duration.ofMillis(50));
          assertThat(o.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
          assertThat(o.minConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(o.disableRetry()).isTrue();
          assertThat(o.disableServiceConfig()).isTrue();
          DialOptions defaults = factory.dialOptions("y",
              new ChannelPropertiesResolver(ctx.getEnvironment()).resolve("y")).build();
          assertThat(defaults.disableRetry()).isFalse();
          assertThat(defaults.disableServiceConfig()).isFalse();
        });
  }

  static final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

  static ClientInterceptor recording(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        seen.add(name);
        return next.newCall(method, callOptions);
      }
    };
  }

  @Configuration(proxyBeanMethods = false)
  static class Interceptors {
    @Bean
    @GrpcGlobalClientInterceptor
    @Order(2)
    ClientInterceptor second() {
      return recording("global-2");
    }

    @Bean
    @GrpcGlobalClientInterceptor
    @Order(1)
    ClientInterceptor first() {
      return recording("global-1");
    }

    @Bean
    ClientInterceptor named() {
      return recording("named");
    }
  }

  @Test
  void interceptorsRunGlobalThenConfiguredThenPerClient() {
    seen.clear();
    runner.withUserConfiguration(Interceptors.class)
        .withPropertyValues("grpc.client.channel.x.interceptors=named")
        .run(ctx -> {
          GrpcChannelFactory factory = ctx.getBean(GrpcChannelFactory.class);
          Channel channel = factory.getChannel("x", List.of(recording("extra")));
          ClientCall<?, ?> call = channel.newCall(EchoServiceGrpc.getEchoMethod(),
              CallOptions.DEFAULT);
          call.cancel("test", null);
          assertThat(seen).containsExactly("global-1", "global-2", "named", "extra");
          assertThat(((ClientConn) factory.getConnection("x")).toString()).isNotNull();
        });
  }

  @Test
  void channelsCloseWithTheContext() {
    java.util.concurrent.atomic.AtomicReference<ClientConn> conn =
        new java.util.concurrent.atomic.AtomicReference<>();
    runner.run(ctx -> {
      conn.set((ClientConn) ctx.getBean(GrpcChannelFactory.class).getConnection("a"));
      assertThat(conn.get().isClosed()).isFalse();
    });
    assertThat(conn.get().isClosed()).isTrue();
  }

  @Test
  void channelCustomizersSeeEveryDialledChannel() {
    List<String> customized = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner.withBean("c1", dev.grpcspring.boot.client.GrpcChannelCustomizer.class,
            () -> (name, options) -> customized.add(name + ":" + options.build().authority()))
        .withPropertyValues("grpc.client.channel.c.authority=custom.example")
        .run(ctx -> {
          ctx.getBean(GrpcChannelFactory.class).getConnection("c");
          assertThat(customized).containsExactly("c:custom.example");
        });
  }

  @Test
  void aTargetWithAnUnresolvedPlaceholderIsDialledOnTheFirstCall() {
    runner.withPropertyValues("grpc.client.channel.late.target=localhost:${late.port}")
        .run(ctx -> {
          DefaultGrpcChannelFactory factory = ctx.getBean(DefaultGrpcChannelFactory.class);
          Channel channel = factory.getChannel("late", List.of());
          assertThat(factory.getChannelNames()).doesNotContain("late");
          org.springframework.boot.test.util.TestPropertyValues.of("late.port=1").applyTo(ctx);
          channel.newCall(EchoServiceGrpc.getEchoMethod(), CallOptions.DEFAULT)
              .cancel("test", null);
          assertThat(factory.getChannelNames()).contains("late");
          assertThat(((ClientConn) factory.getConnection("late")).target())
              .isEqualTo("localhost:1");
        });
  }

  @Test
  void invalidSettingsFailStartupNamingTheProperty() {
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues("grpc.client.channel.echo.backoff.multiplier=0.5")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("grpc.client.channel.echo"));
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues("grpc.client.channel.echo.inbound.message.max-size=0B")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("grpc.client.channel.echo.inbound.message.max-size"));
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues("grpc.client.channel.echo.compression=zstd")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("grpc.client.channel.echo.compression"));
    // pick_first (the default policy) never health-checks: the setting would do nothing.
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues("grpc.client.channel.echo.service-config.health-check.service-name=x")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("grpc.client.channel.echo.service-config.health-check.service-name")
            .hasStackTraceContaining("load-balancing-policy=round_robin"));
    // A service-config rule broken in YAML names the YAML key, not the JSON field.
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues(
            "grpc.client.channel.echo.service-config.method[0].name[0].service=pkg.Svc",
            "grpc.client.channel.echo.service-config.method[0].retry.max-attempts=1")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("Property grpc.client.channel.echo.service-config.method[0]"
                + ".retry.max-attempts with value '1' is invalid: it is required and must be > 1"));
    runner.withUserConfiguration(ClientsConfig.class)
        .withPropertyValues("grpc.client.channel.echo.service-config.retry-throttling.token-ratio=0")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure()
            .hasStackTraceContaining("grpc.client.channel.echo.service-config.retry-throttling.token-ratio"));
  }
}
